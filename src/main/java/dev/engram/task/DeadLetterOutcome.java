package dev.engram.task;

/** What {@link TaskEngine#retryDead} or {@link TaskEngine#purgeDead} did with one task. */
public enum DeadLetterOutcome {
    /** The dead letter was requeued (or purged). */
    DONE,
    /** No task with that id is known. */
    NOT_FOUND,
    /** The task is known but is not a dead letter (live, finished, or not durable). */
    NOT_DEAD
}
