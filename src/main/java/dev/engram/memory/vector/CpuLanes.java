package dev.engram.memory.vector;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Two-level dispatch onto a bounded CPU pool: a job submitted to the foreground lane (a reply's query
 * embedding) runs before every background job (store-path embeddings) that is queued but not yet started.
 * Jobs already running are not pre-empted, so a foreground job waits for at most one job per pool thread.
 *
 * <p>How: each submit queues its job on its lane and hands the pool one anonymous turn; a turn, when the
 * pool runs it, takes the oldest foreground job, else the oldest background job. There are as many turns
 * as jobs, so every job runs exactly once; within a lane jobs start in submission order.
 *
 * <p>Thread-safe. A job must not throw (wrap it, e.g. in a {@code CompletableFuture}); one that does is the
 * pool's to report, as for any task.
 */
final class CpuLanes {
    private final Executor pool;
    private final Queue<Runnable> foreground = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> background = new ConcurrentLinkedQueue<>();

    CpuLanes(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Queues {@code job} ahead of every queued background job. */
    void foreground(Runnable job) {
        submit(foreground, job);
    }

    /** Queues {@code job} behind the queued foreground jobs and the earlier background ones. */
    void background(Runnable job) {
        submit(background, job);
    }

    /**
     * @throws RejectedExecutionException when the pool refuses the turn (it is shutting down); the job is
     *                                    then not queued
     */
    private void submit(Queue<Runnable> lane, Runnable job) {
        Objects.requireNonNull(job, "job");
        lane.add(job);
        try {
            pool.execute(this::turn);
        } catch (RejectedExecutionException e) {
            lane.remove(job);
            throw e;
        }
    }

    private void turn() {
        Runnable job = foreground.poll();
        if (job == null) job = background.poll();
        if (job != null) job.run();
    }
}
