package dev.engram.app;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import dev.engram.surface.http.MemoryApi;
import dev.engram.memory.AsyncMemoryManager;
import dev.engram.model.Recall;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.RecallQuery;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskId;
import dev.engram.task.TaskView;

/** {@link MemoryApi} over the task engine, the seed-parity manager and recall fusion. Thread-safe. */
final class EngineMemoryApi implements MemoryApi {
    private final AsyncMemoryManager manager;
    private final TaskEngine<Recall> engine;
    private final FusedRecall recall;
    private final BiFunction<String, String, ?> graph;

    EngineMemoryApi(AsyncMemoryManager manager, TaskEngine<Recall> engine, FusedRecall recall,
                    BiFunction<String, String, ?> graph) {
        this.manager = manager;
        this.engine = engine;
        this.recall = recall;
        this.graph = graph;
    }

    @Override
    public String store(String chatId, String content) {
        return manager.storeNonBlocking(chatId, content).value();
    }

    @Override
    public String build() {
        return manager.buildNonBlocking().value();
    }

    @Override
    public Optional<Map<String, Object>> task(String taskId) {
        return engine.find(TaskId.parse(taskId)).map(EngineMemoryApi::view);
    }

    @Override
    public SearchResult search(String chatId, String query, int k, Duration timeout) {
        long start = System.nanoTime();
        Instant deadline = engine.clock().instant().plus(timeout);
        Recall r = recall.recall(new RecallQuery(chatId, query, Set.of(), deadline, Set.of(), k, 0));
        return new SearchResult(r.memories(), r.status(), (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public Object graph(String chatId, String query) {
        return graph.apply(chatId, query);
    }

    private static Map<String, Object> view(TaskView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_id", v.id().value());
        m.put("type", v.type().name().toLowerCase());
        m.put("state", v.state().name());
        m.put("attempts", v.attempts());
        if (v.error() != null) m.put("error", v.error());
        if (v.chatId() != null) m.put("chat_id", v.chatId());
        m.put("submitted_at", v.submittedAt().toString());
        m.put("updated_at", v.updatedAt().toString());
        return m;
    }
}
