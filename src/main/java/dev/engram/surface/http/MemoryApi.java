package dev.engram.surface.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.engram.model.Memory;
import dev.engram.model.RecallStatus;

/**
 * The memory operations the API exposes; implemented in the composition root over the task engine
 * and recall. Implementations are thread-safe and never block on memory work except
 * {@link #search}, which is bounded by its timeout.
 */
public interface MemoryApi {
    /** Queues content to be remembered for a chat; durable when this returns. Returns the task id. */
    String store(String chatId, String content);

    /** Queues a graph memory build; returns the task id. */
    String build();

    /** The task as JSON-ready fields, empty when unknown; throws IllegalArgumentException for a malformed id. */
    Optional<Map<String, Object>> task(String taskId);

    /** Recalls memories of a chat within {@code timeout}. */
    SearchResult search(String chatId, String query, int k, Duration timeout);

    /** The graph activated by a query (nodes, edges, items of the chat), as a serialisable value. */
    Object graph(String chatId, String query);

    /** The answer of a search. */
    record SearchResult(List<Memory> memories, RecallStatus status, long elapsedMs) {
    }
}
