package dev.engram.task;

/** A move that {@link TaskState#canTransition} forbids: always a bug in the engine. */
public final class IllegalTaskStateException extends IllegalStateException {
    private final TaskState from;
    private final TaskState to;

    public IllegalTaskStateException(TaskId id, TaskState from, TaskState to) {
        super("task " + id + " cannot move from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public TaskState from() {
        return from;
    }

    public TaskState to() {
        return to;
    }
}
