package dev.engram.surface.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.engram.memory.MemoryService;
import dev.engram.memory.graph.ActivatedSubgraph;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.task.TaskId;
import dev.engram.task.TaskView;

/**
 * The memory operations the API exposes, over the {@link MemoryService}: searches run through the task
 * engine like a reply's recall (lane bounds, single-flight, the recall cache, the deadline). Thread-safe;
 * nothing blocks on memory work except {@link #search}, which is bounded by its timeout.
 */
public final class MemoryApi {
    private final MemoryService memory;

    public MemoryApi(MemoryService memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /** Queues content to be remembered for a chat; durable when this returns. Returns the task id. */
    String store(String chatId, String content) {
        return memory.store(chatId, content).value();
    }

    /** Queues a graph memory build; returns the task id. */
    String build() {
        return memory.build().value();
    }

    /** The task, empty when unknown; throws IllegalArgumentException for a malformed id. */
    Optional<TaskInfo> task(String taskId) {
        return memory.task(TaskId.parse(taskId)).map(TaskInfo::of);
    }

    /** Recalls at most {@code k} memories of a chat within {@code timeout}. */
    SearchResult search(String chatId, String query, int k, Duration timeout) {
        long start = System.nanoTime();
        Recall r = memory.search(chatId, query, k, timeout).join(); // completes by the deadline, never exceptionally
        return new SearchResult(r.memories(), r.status(), (System.nanoTime() - start) / 1_000_000);
    }

    /** The graph activated by a query (nodes, edges, items of the chat). */
    ActivatedSubgraph graph(String chatId, String query) {
        return memory.graph(chatId, query);
    }

    /** The answer of a search. */
    record SearchResult(List<Memory> memories, RecallStatus status, long elapsedMs) {
    }

    /** Wire shape of {@code GET /api/tasks/{id}}; {@code error} and {@code chat_id} only when set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskInfo(String taskId, String type, String state, int attempts, String error, String chatId,
                    String submittedAt, String updatedAt) {
        static TaskInfo of(TaskView v) {
            return new TaskInfo(v.id().value(), v.type().wire(), v.state().name(), v.attempts(), v.error(),
                    v.chatId(), v.submittedAt().toString(), v.updatedAt().toString());
        }
    }
}
