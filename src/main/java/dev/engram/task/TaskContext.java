package dev.engram.task;

import java.time.Instant;

/**
 * What a handler gets besides its task, for one attempt. Valid only during that attempt; used by the
 * handler's thread (a virtual thread, so blocking I/O is fine).
 */
public interface TaskContext {
    TaskId taskId();

    /** The attempt number, from 1. */
    int attempt();

    /** When this attempt is cut off (the thread is interrupted then). */
    Instant deadline();

    /**
     * Asks for {@code next} to be submitted once this attempt has succeeded (after its own outcome is
     * recorded, so work that follows a store sees the store done). Dropped when the attempt does not
     * succeed or the engine no longer takes tasks.
     */
    void followUp(MemoryTask next);
}
