package dev.engram.task;

/**
 * Thrown inside a handler's {@link TaskContext#commit} transaction when the task's outbox row is already
 * gone: another run completed the task, so this run's writes roll back. Internal; the attempt counts as
 * succeeded.
 */
final class DuplicateTaskException extends RuntimeException {
    DuplicateTaskException(TaskId id) {
        super("task " + id + " was already completed by another run", null, false, false);
    }
}
