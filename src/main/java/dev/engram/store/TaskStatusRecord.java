package dev.engram.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The last known state of one durable task, as {@link TaskStatusRepository} keeps it. Type and state are
 * opaque strings here (the task package's names), so this package knows nothing of task types.
 *
 * @param attempts attempts made so far
 * @param error    the last failure's message, {@code null} if none
 * @param chatId   the task's chat, {@code null} for maintenance tasks
 */
public record TaskStatusRecord(String taskId, String type, String state, int attempts, String error, String chatId,
                               Instant submittedAt, Instant updatedAt) {
    public TaskStatusRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (attempts < 0) throw new IllegalArgumentException("attempts must be >= 0");
    }
}
