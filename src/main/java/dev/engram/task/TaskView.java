package dev.engram.task;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the engine can tell about one task: the body of {@code GET /api/tasks/{id}}, and the one shape of a
 * task wherever the API shows one (dead letters in {@code /api/status} and {@code GET /api/tasks?state=dead}).
 * As JSON: {@code task_id}, {@code type} (wire name), {@code state} (upper case), {@code attempts},
 * {@code error} and {@code chat_id} when set, {@code submitted_at}, {@code updated_at} (ISO-8601).
 *
 * @param attempts    attempts started so far in this process (0 while queued)
 * @param error       the last failure's message, {@code null} if none
 * @param chatId      the chat of a store or retrieve task, {@code null} for maintenance tasks
 * @param submittedAt when the task was acknowledged (for a replayed task: when it was first written)
 * @param updatedAt   when the task last changed state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"task_id", "type", "state", "attempts", "error", "chat_id", "submitted_at", "updated_at"})
public record TaskView(@JsonProperty("task_id") TaskId id, TaskType type, TaskState state, int attempts,
                       String error, @JsonProperty("chat_id") String chatId,
                       @JsonProperty("submitted_at") Instant submittedAt, @JsonProperty("updated_at") Instant updatedAt) {
    public TaskView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
