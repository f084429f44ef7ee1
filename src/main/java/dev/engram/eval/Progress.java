package dev.engram.eval;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress display: a terminal progress bar on standard error, or nothing. Not thread-safe. */
interface Progress extends AutoCloseable {
    void step();

    @Override
    void close();

    static Progress none() {
        return new Progress() {
            @Override
            public void step() {
            }

            @Override
            public void close() {
            }
        };
    }

    static Progress bar(String task, long max) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(250).build();
        return new Progress() {
            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
