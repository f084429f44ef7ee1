package dev.engram.memory.vector;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;
import dev.engram.store.MessageRepository;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Feeds the index from the database, page by page: every message and memory after given ids that
 * is still within retention and not skipped. A full rebuild shows a progress bar when there is
 * something to rebuild; a catch-up after a reopen is silent. Not thread-safe (one run at a time,
 * while the index is being opened).
 */
final class IndexRebuilder {
    /** Where pages go: writes them into the index and says how their vectors were found. */
    @FunctionalInterface
    interface Sink {
        ItemEmbeddings.Resolved write(List<IndexItem> items) throws IOException;
    }

    /** Counts of one run. */
    record Totals(long messages, long memories, long reused, long computed) {
        Totals plus(boolean message, ItemEmbeddings.Resolved r, int items) {
            return new Totals(messages + (message ? items : 0), memories + (message ? 0 : items),
                    reused + r.reused(), computed + r.computed());
        }
    }

    private final MessageRepository messages;
    private final StoredMemoryReader memories;
    private final int pageSize;
    private final PrintStream progress;

    IndexRebuilder(MessageRepository messages, StoredMemoryReader memories, int pageSize, PrintStream progress) {
        this.messages = messages;
        this.memories = memories;
        this.pageSize = pageSize;
        this.progress = progress;
    }

    /**
     * @param messagesAfter  feed messages with a greater id
     * @param memoriesAfter  feed memories with a greater id
     * @param messageCutoff  skip messages created before this (retention)
     * @param memoryCutoff   skip memories created before this
     * @param skip           keys not to feed (already indexed)
     * @param showProgress   whether to draw progress bars (full rebuilds)
     */
    Totals run(Sink sink, long messagesAfter, long memoriesAfter, Instant messageCutoff, Instant memoryCutoff,
               Predicate<String> skip, boolean showProgress) throws IOException {
        Totals totals = new Totals(0, 0, 0, 0);
        long total = showProgress ? messages.count() : 0;
        try (ProgressBar bar = total > 0 ? bar("Rebuilding index: messages", total) : null) {
            long last = messagesAfter;
            for (List<ChatMessage> page; !(page = messages.after(last, pageSize)).isEmpty(); ) {
                last = page.getLast().id();
                List<IndexItem> items = new ArrayList<>(page.size());
                for (ChatMessage m : page) {
                    IndexItem item = IndexItem.of(m);
                    if (!m.createdAt().isBefore(messageCutoff) && !skip.test(item.key())) items.add(item);
                }
                if (!items.isEmpty()) totals = totals.plus(true, sink.write(items), items.size());
                if (bar != null) bar.stepBy(page.size());
            }
        }
        long last = memoriesAfter;
        List<StoredMemory> page = memories.after(last, pageSize);
        try (ProgressBar bar = showProgress && !page.isEmpty() ? bar("Rebuilding index: memories", -1) : null) {
            for (; !page.isEmpty(); page = memories.after(last, pageSize)) {
                last = page.getLast().id();
                List<IndexItem> items = new ArrayList<>(page.size());
                for (StoredMemory m : page) {
                    IndexItem item = IndexItem.of(m);
                    if (m.current() && !m.createdAt().isBefore(memoryCutoff) && !skip.test(item.key())) items.add(item);
                }
                if (!items.isEmpty()) totals = totals.plus(false, sink.write(items), items.size());
                if (bar != null) bar.stepBy(page.size());
            }
        }
        return totals;
    }

    private ProgressBar bar(String task, long max) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(progress))
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .build();
    }
}
