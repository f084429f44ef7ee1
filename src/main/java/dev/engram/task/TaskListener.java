package dev.engram.task;

/**
 * Told when a task reaches a final state. Called on the worker's thread after the engine's own
 * bookkeeping; must be quick. Exceptions are logged and ignored.
 */
@FunctionalInterface
public interface TaskListener {
    void onFinished(TaskView task);

    /** A listener that does nothing. */
    static TaskListener none() {
        return task -> {
        };
    }
}
