package dev.engram.task;

import dev.engram.memory.Recall;

/** Answers a retrieval on the interactive lane; must return by the task's deadline. */
@FunctionalInterface
public interface RetrieveHandler {
    Recall retrieve(MemoryTask.Retrieve task, TaskContext context) throws Exception;
}
