package dev.engram.task;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.engram.store.Storage;

/**
 * What a handler gets besides its task, for one attempt. Valid only during that attempt; used by the
 * handler's thread (a virtual thread, so blocking I/O is fine).
 */
public interface TaskContext {
    TaskId taskId();

    /** The attempt number, from 1. */
    int attempt();

    /** When this attempt is cut off (the thread is interrupted then). */
    Instant deadline();

    /** A small platform pool sized to the cores, for CPU-bound steps (embedding, graph math). */
    Executor cpuExecutor();

    /**
     * Runs the task's writes and its acknowledgement in one transaction: for a durable task the outbox row
     * is removed in the same transaction, so after a crash the task either re-runs with none of its writes
     * applied, or never re-runs. If another run completed the task first, the transaction rolls back and
     * the attempt ends as succeeded. Call at most once per attempt, with all of the task's writes.
     *
     * @throws IllegalStateException on a second call in the same attempt
     */
    <T> T commit(Function<Storage, T> work);
}
