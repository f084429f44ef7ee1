package dev.engram.surface.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.engram.memory.MemoryService;
import dev.engram.memory.graph.ActivatedSubgraph;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.task.DeadLetterOutcome;
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
    Optional<TaskView> task(String taskId) {
        return memory.task(TaskId.parse(taskId));
    }

    /** Checks a client's task id; returns it, or throws IllegalArgumentException for a malformed one. */
    static String checkedTaskId(String taskId) {
        return TaskId.parse(taskId).value();
    }

    /** The newest dead letters, at most {@code limit}. */
    List<TaskView> deadLetters(int limit) {
        return memory.deadLetters(limit);
    }

    long deadLetterCount() {
        return memory.deadLetterCount();
    }

    DeadLetterOutcome retry(String taskId) {
        return memory.retryDead(TaskId.parse(taskId));
    }

    DeadLetterOutcome purge(String taskId) {
        return memory.purgeDead(TaskId.parse(taskId));
    }

    int retryAll() {
        return memory.retryAllDead();
    }

    int purgeAll() {
        return memory.purgeAllDead();
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
}
