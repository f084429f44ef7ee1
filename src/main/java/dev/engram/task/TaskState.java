package dev.engram.task;

/**
 * The lifecycle of a task. Every allowed move is listed in {@link #canTransition}, and nowhere else:
 * <pre>
 * QUEUED ──► RUNNING ──► SUCCEEDED | FAILED | DEAD | CANCELLED
 *   │           │
 *   │           └──► RETRY_WAIT ──► QUEUED
 *   └──► CANCELLED        └──────► CANCELLED
 * </pre>
 * {@code FAILED}: a non-retriable error ended the task. {@code DEAD}: a retriable error persisted through
 * the last allowed attempt. Durable tasks (store, build) that end FAILED or DEAD are dead letters: their
 * outbox row is kept, no longer counted as work, until retried or purged (see {@link TaskEngine#deadLetters});
 * other tasks that fail are counted and logged. {@code CANCELLED}: the engine stopped before the task finished; a
 * durable task stays in the outbox and runs after the next start.
 */
public enum TaskState {
    QUEUED, RUNNING, RETRY_WAIT, SUCCEEDED, FAILED, DEAD, CANCELLED;

    /** Whether the task has ended (no move leaves this state). */
    public boolean isFinal() {
        return switch (this) {
            case QUEUED, RUNNING, RETRY_WAIT -> false;
            case SUCCEEDED, FAILED, DEAD, CANCELLED -> true;
        };
    }

    /** The transition table. */
    public static boolean canTransition(TaskState from, TaskState to) {
        return switch (from) {
            case QUEUED -> to == RUNNING || to == CANCELLED;
            case RUNNING -> to == SUCCEEDED || to == FAILED || to == DEAD || to == RETRY_WAIT || to == CANCELLED;
            case RETRY_WAIT -> to == QUEUED || to == CANCELLED;
            case SUCCEEDED, FAILED, DEAD, CANCELLED -> false;
        };
    }

    /** Checks a move against the table and throws {@link IllegalTaskStateException} if it is not in it. */
    public static void requireTransition(TaskId id, TaskState from, TaskState to) {
        if (!canTransition(from, to)) throw new IllegalTaskStateException(id, from, to);
    }

    /** The lower-case name used by the API. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
