package dev.engram.task;

/**
 * The engine did not accept a task: it is not started, or it is shutting down. Frequent under shutdown
 * and therefore created without a stack trace.
 */
public final class TaskRejectedException extends IllegalStateException {
    public TaskRejectedException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
