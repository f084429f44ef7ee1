package dev.engram.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A durable task as the outbox stores it. The payload is opaque here (JSON written by the task
 * package), so this package knows nothing of task types. {@code seq} is the record's position in
 * insertion order, assigned by the outbox (0 before it is stored).
 */
public record OutboxRecord(String taskId, String type, String chatId, String payload, Instant createdAt, int attempts,
                           long seq) {
    public OutboxRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        if (attempts < 0) throw new IllegalArgumentException("attempts must be >= 0");
    }

    /** A record not stored yet: the outbox assigns {@link #seq()}, its position in replay order. */
    public OutboxRecord(String taskId, String type, String chatId, String payload, Instant createdAt, int attempts) {
        this(taskId, type, chatId, payload, createdAt, attempts, 0);
    }
}
