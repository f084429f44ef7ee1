package dev.engram.task;

/**
 * Does the work of one background task type. Runs on a virtual thread with the type's timeout; throw a
 * {@link dev.engram.common.RetriableException} (or a timeout / I/O exception) to have the attempt retried.
 *
 * <p>A durable task may run again after a crash: write through {@link TaskContext#commit} for exactly-once
 * effects, or be idempotent by {@link TaskContext#taskId()}.
 */
@FunctionalInterface
public interface TaskHandler<T extends MemoryTask> {
    void handle(T task, TaskContext context) throws Exception;
}
