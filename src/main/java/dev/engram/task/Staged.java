package dev.engram.task;

import java.time.Instant;
import java.util.Objects;

/**
 * A durable task written to the outbox inside the caller's transaction by {@link TaskEngine#stage}, not yet
 * handed to the engine. Pass it to {@link TaskEngine#admit} after the transaction committed; if the
 * transaction rolled back, drop it.
 */
public record Staged(TaskId id, MemoryTask task, Instant createdAt) {
    public Staged {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
