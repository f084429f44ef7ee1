package dev.engram.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.store.OutboxRecord;
import dev.engram.store.TaskStatusRecord;

/**
 * Converts durable tasks to outbox records and back, and task views to status rows and back. The payload is JSON owned by this package; unknown
 * fields are ignored so older engines can read rows written by newer ones. Thread-safe.
 */
final class TaskCodec {
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record StorePayload(@JsonProperty("content") String content,
                                @JsonProperty("message_ids") List<Long> messageIds) {
    }

    /** The row for a durable task. */
    OutboxRecord encode(TaskId id, MemoryTask task, Instant createdAt) {
        return switch (task) {
            case MemoryTask.Store s ->
                    new OutboxRecord(id.value(), s.type().wire(), s.chatId(), write(new StorePayload(s.content(),
                            s.messageIds())), createdAt, 0);
            case MemoryTask.Build b -> new OutboxRecord(id.value(), b.type().wire(), null, "{}", createdAt, 0);
            case MemoryTask.Retrieve r -> throw notDurable(r);
            case MemoryTask.Forget f -> throw notDurable(f);
            case MemoryTask.Consolidate c -> throw notDurable(c);
            case MemoryTask.Prefetch p -> throw notDurable(p);
        };
    }

    /** The task of a row; throws {@link IllegalArgumentException} for a row it cannot read. */
    MemoryTask decode(OutboxRecord row) {
        TaskType type = TaskType.fromWire(row.type())
                .orElseThrow(() -> new IllegalArgumentException("unknown task type '" + row.type() + "'"));
        return switch (type) {
            case STORE -> {
                StorePayload p = read(row.payload());
                yield new MemoryTask.Store(row.chatId(), p.content(), p.messageIds() == null ? List.of() : p.messageIds());
            }
            case BUILD -> new MemoryTask.Build();
            case RETRIEVE, FORGET, CONSOLIDATE, PREFETCH ->
                    throw new IllegalArgumentException("task type '" + row.type() + "' is never written to the outbox");
        };
    }

    /** The status row of a view (states by their upper-case names, types by their wire names). */
    TaskStatusRecord status(TaskView v) {
        return new TaskStatusRecord(v.id().value(), v.type().wire(), v.state().name(), v.attempts(), v.error(),
                v.chatId(), v.submittedAt(), v.updatedAt());
    }

    /** The view of a status row; empty for a row this engine cannot read (unknown type or state). */
    Optional<TaskView> view(TaskStatusRecord r) {
        Optional<TaskType> type = TaskType.fromWire(r.type());
        if (type.isEmpty()) return Optional.empty();
        try {
            return Optional.of(new TaskView(new TaskId(r.taskId()), type.get(), TaskState.valueOf(r.state()),
                    r.attempts(), r.error(), r.chatId(), r.submittedAt(), r.updatedAt()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static IllegalArgumentException notDurable(MemoryTask task) {
        return new IllegalArgumentException(task.type().wire() + " tasks are not durable");
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode task payload", e);
        }
    }

    private StorePayload read(String payload) {
        try {
            return json.readValue(payload, StorePayload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable store payload: " + e.getOriginalMessage(), e);
        }
    }
}
