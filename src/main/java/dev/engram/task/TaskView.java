package dev.engram.task;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine can tell about one task (the body of {@code GET /api/tasks/{id}}).
 *
 * @param attempts    attempts started so far in this process (0 while queued)
 * @param error       the last failure's message, {@code null} if none
 * @param chatId      the chat of a store or retrieve task, {@code null} for maintenance tasks
 * @param submittedAt when the task was acknowledged (for a replayed task: when it was first written)
 * @param updatedAt   when the task last changed state
 */
public record TaskView(TaskId id, TaskType type, TaskState state, int attempts, String error, String chatId,
                       Instant submittedAt, Instant updatedAt) {
    public TaskView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
