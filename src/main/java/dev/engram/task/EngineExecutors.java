package dev.engram.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The threads of one engine: workers (a virtual thread per task) and the timer. The engine owns what it
 * created and shuts exactly that down; an executor or scheduler passed in (tests) stays the caller's. CPU
 * work (embedding) runs on a pool the composition root owns, never here: the engine does not know it.
 */
record EngineExecutors(Executor workers, DelayScheduler scheduler, List<ExecutorService> owned)
        implements AutoCloseable {

    static EngineExecutors create(Executor workers, DelayScheduler scheduler) {
        List<ExecutorService> owned = new ArrayList<>();
        if (workers == null) {
            ExecutorService virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("engram-task-", 0).factory());
            owned.add(virtual);
            workers = virtual;
        }
        if (scheduler == null) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().name("engram-timer").daemon().factory());
            timer.setRemoveOnCancelPolicy(true); // cancelled timeouts must not pile up in the queue
            owned.add(timer);
            DelayScheduler delegate = DelayScheduler.of(timer);
            scheduler = (delay, action) -> {
                try {
                    return delegate.schedule(delay, action);
                } catch (RejectedExecutionException e) {
                    return () -> { }; // engine stopped: the action would have had nothing left to do
                }
            };
        }
        return new EngineExecutors(workers, scheduler, List.copyOf(owned));
    }

    /** Stops the owned executors; running tasks were already asked to stop. */
    @Override
    public void close() {
        owned.forEach(ExecutorService::shutdownNow);
    }
}
