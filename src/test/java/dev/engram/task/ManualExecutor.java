package dev.engram.task;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** An executor that only queues; the test runs the work on its own thread, in order. Thread-safe. */
final class ManualExecutor implements Executor {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable command) {
        queue.add(command);
    }

    /** Runs the oldest queued runnable; false if none. */
    boolean runNext() {
        Runnable r = queue.poll();
        if (r == null) return false;
        r.run();
        return true;
    }

    /** Runs until nothing is queued (including work queued by the work); returns how many ran. */
    int runAll() {
        int n = 0;
        while (runNext()) n++;
        return n;
    }

    int pending() {
        return queue.size();
    }
}
