package dev.engram.task;

/**
 * Answers a retrieval on the interactive lane; must return by the task's deadline.
 *
 * @param <R> the retrieval's result type
 */
@FunctionalInterface
public interface RetrieveHandler<R> {
    R retrieve(MemoryTask.Retrieve task, TaskContext context) throws Exception;
}
