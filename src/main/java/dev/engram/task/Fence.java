package dev.engram.task;

/**
 * Stops every database write of an engine at once; used to simulate a process kill in tests
 * ({@link TaskEngine#crashForTest()}). Thread-safe.
 */
final class Fence {
    private volatile boolean down;

    void drop() {
        down = true;
    }

    boolean isDown() {
        return down;
    }

    /** Throws inside a transaction so it rolls back once the fence is down. */
    void check() {
        if (down) throw new IllegalStateException("engine crashed: write refused");
    }
}
