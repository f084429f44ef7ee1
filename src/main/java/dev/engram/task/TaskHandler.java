package dev.engram.task;

/**
 * Does the work of one background task type. Runs on a virtual thread with the type's timeout; throw a
 * {@link dev.engram.common.RetriableException} (or a timeout / I/O exception) to have the attempt retried.
 *
 * <p>A durable task may run again after a crash (at least once): handlers are idempotent (the store pipeline is,
 * by message id and content).
 */
@FunctionalInterface
public interface TaskHandler<T extends MemoryTask> {
    void handle(T task, TaskContext context) throws Exception;
}
