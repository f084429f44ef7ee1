package dev.engram.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.chat.ChatMemory;
import dev.engram.config.EngramConfig;
import dev.engram.surface.http.MemoryApi;
import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.memory.AsyncMemoryManager;
import dev.engram.memory.MemorySource;
import dev.engram.model.Recall;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.graph.ActivatedSubgraph;
import dev.engram.memory.graph.BuildProgressListener;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.graph.GraphSettings;
import dev.engram.memory.instant.InstantSource;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.LlmRecall;
import dev.engram.memory.recall.LlmRecallMode;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.memory.vector.OnnxEmbedder;
import dev.engram.store.Storage;
import dev.engram.task.MemoryTask;
import dev.engram.task.TaskContext;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskHandlers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import dev.engram.memory.RecallPolicy;

/**
 * Wires the memory side of one instance: embedding model, vector/lexical index, instant memory,
 * fusion, the store pipeline and the task engine that runs all of it. Owns their executors and
 * closes everything in reverse order. Logic lives in the parts; this class only connects them.
 */
final class MemoryModule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryModule.class);

    private final Storage storage;
    private final ExecutorService cpu;
    private final ExecutorService virtual;
    private final OnnxEmbedder embedder;
    private final LuceneMemoryIndex index;
    private static final int GRAPH_VIEW_LIMIT = 20;

    private final GraphMemory graph;
    private final InstantSource instant;
    private final LlmRecall llmRecall;
    private final FusedRecall recall;
    private final StorePipeline pipeline;
    private final TaskEngine<Recall> engine;
    private final AsyncMemoryManager manager;
    private final Timer recallTimer;
    private final boolean blocking;
    private final ReadWriteLock buildLock = new ReentrantReadWriteLock();
    private final LlmClient llm;
    private final Prompts prompts;

    MemoryModule(EngramConfig config, Storage storage, LlmClient llm, Prompts prompts, Clock clock,
                 MeterRegistry metrics) {
        this.storage = storage;
        this.llm = llm;
        this.prompts = prompts;
        this.blocking = config.chat().blocking();
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.cpu = Executors.newFixedThreadPool(cores, Thread.ofPlatform().name("engram-cpu-", 0).daemon().factory());
        this.virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("engram-recall-", 0).factory());
        try {
            this.embedder = OnnxEmbedder.load(config.embedding().model(), cpu, cores);
            this.index = LuceneMemoryIndex.open(config.storage().dataDir().resolve(LuceneMemoryIndex.DIR_NAME),
                    Settings.vector(config), embedder, storage, storage.memories()::after, clock);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open the memory index: " + e.getMessage(), e);
        }
        this.graph = GraphMemory.open(storage, llm, prompts, Settings.graph(config.memory(), clock.getZone()), clock,
                new Random());
        this.instant = new InstantSource(storage.memories(), clock, clock.getZone());
        this.llmRecall = Settings.llmMode(config) == LlmRecallMode.OFF ? null
                : new LlmRecall(llm, prompts, instant, virtual, clock, LlmRecall.Settings.defaults());
        List<MemorySource> sources = new ArrayList<>(List.of(index.lexicalSource(), index.vectorSource(), instant,
                graph.source()));
        this.recall = new FusedRecall(sources, llmRecall, virtual, clock, Settings.recall(config));
        this.pipeline = new StorePipeline(storage.messages(), storage.memories(),
                new IndexWriters(List.of(index, graph.indexWriter())), llm, prompts, clock,
                Settings.storePipeline(config, clock.getZone()));
        this.recallTimer = Timer.builder("engram.recall").description("local recall on the reply path")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().register(metrics);
        boolean prefetch = Settings.llmMode(config) == LlmRecallMode.PREFETCH;
        this.engine = TaskEngine.builder(storage, RecallPolicy.INSTANCE)
                .settings(Settings.tasks(config.tasks()))
                .clock(clock)
                .meterRegistry(metrics)
                .periodic(Settings.periodic(config))
                .handlers(TaskHandlers.<Recall>builder()
                        .onStore((task, ctx) -> store(task, ctx, prefetch))
                        .onRetrieve((task, ctx) -> timed(task))
                        .onBuild((task, ctx) -> build())
                        .onForget((task, ctx) -> forget())
                        .onConsolidate((task, ctx) -> log.info("[记忆整合] {}", graph.consolidate()))
                        .build())
                .build();
        this.manager = new AsyncMemoryManager(engine, config.recall().timeout());
    }

    private Recall timed(MemoryTask.Retrieve task) {
        long start = System.nanoTime();
        try {
            return recall.recall(task.chatId(), task.query(), task.excludeMessages(), task.deadline());
        } finally {
            recallTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    void start() {
        // the first query embedding and searcher use cost a few hundred ms: pay them before the first user does
        recall.recall("__engram_warmup__", "预热 warm-up", Set.of(), engine.clock().instant().plusSeconds(10));
        engine.start();
    }

    private void store(MemoryTask.Store task, TaskContext ctx, boolean prefetch) throws Exception {
        StorePipeline.Outcome outcome = pipeline.store(task.chatId(), task.content(), task.messageIds());
        if (prefetch && llmRecall != null) {
            try {
                llmRecall.prefetch(task.chatId(), task.content());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // prefetching only improves the next turn; a failure must not re-run the store
                log.debug("LLM recall prefetch failed for chat {}: {}", task.chatId(), e.toString());
            }
        }
        log.debug("stored task {}: {}", ctx.taskId(), outcome);
    }

    private void build() throws InterruptedException {
        if (!blocking) {
            log.info("记忆构建完成：{}", graph.build(BuildProgressListener.NONE));
            return;
        }
        buildLock.writeLock().lock(); // benchmark baseline only: the build stops message handling
        try {
            log.info("记忆构建完成（阻塞基线）：{}", graph.build(BuildProgressListener.NONE));
        } finally {
            buildLock.writeLock().unlock();
        }
    }

    /** The chat pipeline's memory: the engine, or (benchmark baseline only) the blocking variant. */
    ChatMemory chatMemory() {
        if (!blocking) return new EngineChatMemory(storage, engine);
        LlmRecall inline = llmRecall != null ? llmRecall
                : new LlmRecall(llm, prompts, instant, virtual, engine.clock(), LlmRecall.Settings.defaults());
        return new BlockingChatMemory(storage, pipeline, recall, inline, buildLock);
    }

    private ActivatedSubgraph graphView(String chatId, String query) {
        return graph.activated(chatId, query, GRAPH_VIEW_LIMIT);
    }

    private void forget() throws IOException, InterruptedException {
        log.info("[记忆遗忘] 开始遗忘记忆...");
        var removed = index.enforceRetention(engine.clock().instant());
        var forgotten = graph.forget();
        log.info("[记忆遗忘] 完成: index retention {}, graph {}", removed, forgotten);
    }

    /** Builds the graph over the whole history of one chat (evaluation and imports). */
    void buildHistory(String chatId) throws InterruptedException {
        graph.buildHistory(chatId, BuildProgressListener.NONE);
    }

    /** The memory API for the HTTP layer. */
    MemoryApi api() {
        return new EngineMemoryApi(manager, engine, recall, this::graphView);
    }

    /** Sections of {@code GET /api/status}: tasks, per-source counts, recall latency. */
    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("tasks", engine.status());
        Map<String, Object> sources = new LinkedHashMap<>();
        try {
            sources.put("indexed_messages", index.messageCount());
            sources.put("indexed_memories", index.memoryCount());
        } catch (IOException e) {
            sources.put("index_error", e.getMessage());
        }
        sources.put("instant_memories", storage.memories().count());
        sources.put("sources", recall.sourceNames());
        s.put("memory", sources);
        s.put("graph", graph.status());
        HistogramSnapshot h = recallTimer.takeSnapshot();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", h.count());
        for (ValueAtPercentile p : h.percentileValues()) {
            latency.put("p" + Math.round(p.percentile() * 100), Math.round(p.value(TimeUnit.MILLISECONDS) * 100) / 100.0);
        }
        latency.put("max", Math.round(h.max(TimeUnit.MILLISECONDS) * 100) / 100.0);
        s.put("recall_latency_ms", latency);
        return s;
    }

    TaskEngine engine() {
        return engine;
    }

    AsyncMemoryManager manager() {
        return manager;
    }

    FusedRecall recall() {
        return recall;
    }

    LuceneMemoryIndex index() {
        return index;
    }

    @Override
    public void close() {
        closeQuietly(engine);
        closeQuietly(index);
        closeQuietly(embedder);
        virtual.shutdownNow();
        cpu.shutdownNow();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing {} failed", c.getClass().getSimpleName(), e);
        }
    }
}
