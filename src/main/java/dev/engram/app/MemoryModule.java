package dev.engram.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.bench.BlockingChatMemory;
import dev.engram.chat.ChatMemory;
import dev.engram.chat.EngineChatMemory;
import dev.engram.config.EngramConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.memory.AsyncMemoryManager;
import dev.engram.memory.ChatLocks;
import dev.engram.memory.MemoryService;
import dev.engram.memory.PinnedMemories;
import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.manage.MemoryExport;
import dev.engram.memory.manage.MemoryImport;
import dev.engram.memory.MemoryWork;
import dev.engram.memory.RecallLatency;
import dev.engram.memory.RecallPolicy;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.cluster.ChangeFollower;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.instant.InstantSource;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.LlmRecall;
import dev.engram.memory.recall.LlmRecallMode;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.recall.RecallScreen;
import dev.engram.memory.vector.Embedder;
import dev.engram.memory.vector.IndexCatchUp;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.memory.vector.OnnxEmbedder;
import dev.engram.model.Recall;
import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.Storage;
import dev.engram.task.ClusterSettings;
import dev.engram.task.StoreBacklog;
import dev.engram.task.TaskEngine;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires the memory side of one instance: embedding model, vector/lexical index, instant memory, the one
 * recall cache, fusion, the store pipeline and the task engine that runs all of it. The CPU pool is the
 * caller's; the recall executor is this module's. Closing is two steps so the caller can stop its CPU pool
 * in between: {@link #drain()} (the engine, then recall work) and {@link #close()} (index, then model).
 */
final class MemoryModule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryModule.class);
    private static final Duration RECALL_STOP_WAIT = Duration.ofSeconds(5);
    /** How long stopping waits for the index load to finish the page it is writing (the rest resumes at the next start). */
    private static final Duration CATCH_UP_STOP_WAIT = Duration.ofSeconds(30);

    private final Storage storage;
    private final ExecutorService virtual;
    private final OnnxEmbedder embedder;
    private final LuceneMemoryIndex index;
    private final GraphMemory graph;
    private final FusedRecall recall;
    private final MemoryWork work;
    private final TaskEngine<Recall> engine;
    private final MemoryService service;
    private final RecallLatency latency;
    private final ChatMemory chatMemory;
    private final MemoryAdmin admin;
    private final ChatLocks locks = new ChatLocks(CHAT_LOCK_STRIPES);
    private final MemoryExport export;
    private final MemoryImport importer;
    /** Follows the other instances' changes; {@code null} outside cluster mode. */
    private final ChangeFollower follower;
    /** Locks between a chat's stores and deletions; more stripes than store workers, so chats rarely share one. */
    private static final int CHAT_LOCK_STRIPES = 256;

    /**
     * @param cpu   the bounded platform pool every model run happens on (owned by the caller, stopped after
     *              {@link #drain()} and before {@link #close()})
     * @param cores how many texts of one call may be embedded at once
     */
    MemoryModule(EngramConfig config, Storage storage, LlmClient llm, Prompts prompts, Clock clock,
                 MeterRegistry metrics, ExecutorService cpu, int cores) {
        this(config, storage, llm, prompts, clock, metrics, cpu, cores, UnaryOperator.identity());
    }

    /** @param embedderView wraps the loaded model for every use of it (tests observe or hold embedding) */
    MemoryModule(EngramConfig config, Storage storage, LlmClient llm, Prompts prompts, Clock clock,
                 MeterRegistry metrics, ExecutorService cpu, int cores, UnaryOperator<Embedder> embedderView) {
        this(config, storage, Optional.empty(), llm, prompts, clock, metrics, cpu, cores, embedderView);
    }

    /**
     * @param changes the change feed of the cluster's database ({@code PostgresStorage.openCluster}); with
     *                {@code [cluster] enabled} the index, graph and recall cache follow it (see {@link ChangeFollower})
     */
    MemoryModule(EngramConfig config, Storage storage, Optional<ChangeFeedRepository> changes, LlmClient llm,
                 Prompts prompts, Clock clock, MeterRegistry metrics, ExecutorService cpu, int cores,
                 UnaryOperator<Embedder> embedderView) {
        this.storage = storage;
        this.virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("engram-recall-", 0).factory());
        this.embedder = OnnxEmbedder.load(config.embedding().model(), cpu, cores);
        try {
            this.index = LuceneMemoryIndex.openDeferred(config.storage().dataDir().resolve(LuceneMemoryIndex.DIR_NAME),
                    Settings.vector(config), embedderView.apply(embedder), storage, storage.memories()::after, clock, System.err);
        } catch (IOException e) {
            closeQuietly(embedder);
            virtual.shutdown();
            throw new UncheckedIOException("cannot open the memory index: " + e.getMessage(), e);
        }
        RecallCache cache = new RecallCache(Settings.recallCache(config.tasks()), clock);
        this.graph = GraphMemory.open(storage, llm, prompts, Settings.graph(config.memory(), clock.getZone()), clock,
                new Random(), (version, chats) -> chats.forEach(cache::invalidate));
        InstantSource instant = new InstantSource(storage.memories(), clock, clock.getZone());
        LlmRecallMode mode = Settings.llmMode(config);
        LlmRecall llmRecall = mode == LlmRecallMode.OFF ? null
                : new LlmRecall(llm, prompts, instant, virtual, clock, LlmRecall.Settings.defaults(), cache);
        this.recall = new FusedRecall(List.of(index.lexicalSource(), index.vectorSource(), instant, graph.source()),
                llmRecall, virtual, clock, Settings.recall(config), cache,
                new RecallScreen(storage.messages()::findAll, storage.memories()::findAll, storage.memories()::writtenFrom));
        IndexWriters writers = new IndexWriters(List.of(index, graph.indexWriter()));
        StorePipeline pipeline = new StorePipeline(storage.messages(), storage.memories(), writers, llm, prompts, clock,
                Settings.storePipeline(config, clock.getZone()));
        this.admin = new MemoryAdmin(storage, index, graph, writers, cache, locks, clock,
                config.memory().forgetKeepsMessages());
        this.export = new MemoryExport(storage, graph, clock);
        this.importer = new MemoryImport(storage, index, graph, cache, config.memory().enableVectorInstantMemory());
        this.latency = new RecallLatency(metrics);
        this.work = new MemoryWork(pipeline, locks, recall, cache, mode == LlmRecallMode.PREFETCH ? llmRecall : null, graph,
                index, new PinnedMemories(storage.memories()), latency, clock, metrics);
        BlockingChatMemory baseline = !config.chat().blocking() ? null
                : new BlockingChatMemory(storage, pipeline, recall, llmRecall != null ? llmRecall
                        : new LlmRecall(llm, prompts, instant, virtual, clock, LlmRecall.Settings.defaults(), cache));
        var tasks = TaskEngine.builder(storage, RecallPolicy.INSTANCE)
                .settings(Settings.tasks(config.tasks()))
                .clock(clock)
                .meterRegistry(metrics)
                .periodic(Settings.periodic(config))
                .cache(cache)
                .handlers(work.handlers(baseline == null ? work::build : baseline.exclusive(work::build)));
        var cluster = config.cluster();
        if (cluster.enabled()) {
            tasks.cluster(new ClusterSettings(cluster.resolvedInstanceId(), cluster.lease(), cluster.heartbeat(),
                    cluster.poll()));
        }
        this.engine = tasks.build();
        this.service = new MemoryService(storage, engine, new AsyncMemoryManager(engine, config.recall().timeout(),
                config.tasks().cacheTtl()),
                graph, recall);
        this.chatMemory = baseline != null ? baseline : new EngineChatMemory(service);
        this.follower = !config.cluster().enabled() || changes.isEmpty() ? null
                : new ChangeFollower(changes.get(), index, graph, cache, locks, clock,
                        ChangeFollower.Settings.defaults(config.cluster().resolvedInstanceId(), config.cluster().poll()));
    }

    /**
     * Starts loading the index in the background (rebuild or catch-up, see {@link #catchUp()}), then the engine:
     * the server answers meanwhile, recall serving what the index already holds.
     */
    void start() {
        if (follower != null) startFollower(); // places its cursor before the index's load scans the database
        index.startCatchUp(locks);
        // the first query embedding and searcher use cost a few hundred ms: pay them before the first user does
        recall.recall("__engram_warmup__", "预热 warm-up", Set.of(), engine.clock().instant().plusSeconds(10));
        engine.start();
    }

    private void startFollower() {
        try {
            follower.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start following the change feed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting to follow the change feed", e);
        }
    }

    /** The chat pipeline's memory: the engine, or (benchmark baseline only) the blocking variant. */
    ChatMemory chatMemory() {
        return chatMemory;
    }

    /** Browsing, correcting and forgetting memories. */
    MemoryAdmin admin() {
        return admin;
    }

    /** Writes chats as JSON Lines. */
    MemoryExport export() {
        return export;
    }

    /** Reads an export into this instance. */
    MemoryImport importer() {
        return importer;
    }

    /** The memory facade (intake, recall, tasks, graph view). */
    MemoryService service() {
        return service;
    }

    /** The task handlers' parts (evaluation builds a chat's history through them). */
    MemoryWork work() {
        return work;
    }

    /** Sections of {@code GET /api/status}: tasks, per-source counts, graph, recall latency, LLM prefetch. */
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
        s.put("index_catch_up", index.catchUp().snapshot());
        s.put("store_pipeline", storePipeline());
        s.put("graph", graph.status());
        s.put("recall_latency_ms", latency.summary());
        s.put("llm_prefetch", work.prefetchStatus());
        if (follower != null) s.put("change_feed", follower.status());
        return s;
    }

    /** Progress of the index load started by {@link #start()}. */
    IndexCatchUp catchUp() {
        return index.catchUp();
    }

    /** The {@code store_pipeline} section of the status: backlog and visibility lag. */
    private Map<String, Object> storePipeline() {
        StoreBacklog.Snapshot b = engine.storeBacklog();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("outbox_live", b.outboxLive());
        s.put("visibility_lag_s", b.lagSeconds());
        b.oldestStoreAt().ifPresent(at -> s.put("oldest_unstored_at", at.toString()));
        s.put("recent_stores", b.recentStores());
        s.put("stored_p50_s", b.p50Seconds());
        s.put("stored_p95_s", b.p95Seconds());
        return s;
    }

    /** The graph memory (tests read its snapshot). */
    GraphMemory graph() {
        return graph;
    }

    TaskEngine<Recall> engine() {
        return engine;
    }

    FusedRecall recall() {
        return recall;
    }

    /**
     * Stops the memory work: the engine (stops intake, drains until its deadline, leaves the rest in the
     * outbox), then the recall threads. CPU work still queued is the caller's pool's to finish.
     */
    void drain() {
        closeQuietly(follower); // commits the index and saves its cursor while the index is still open
        index.stopCatchUp(CATCH_UP_STOP_WAIT);
        closeQuietly(engine);
        virtual.shutdown();
        Shutdown.await(virtual, RECALL_STOP_WAIT, "recall");
    }

    /**
     * Closes the index, then the embedding model. Call after {@link #drain()} and after the CPU pool stopped:
     * the model is freed only when no native run can be in progress.
     *
     * @param cpuStopped whether the CPU pool terminated; if not, the model is left to the process exit
     */
    void close(boolean cpuStopped) {
        closeQuietly(index);
        if (cpuStopped) closeQuietly(embedder);
        else log.warn("CPU work still running at shutdown: the embedding model is left open to the process exit");
    }

    /** {@link #drain()} then {@link #close(boolean)} for an instance that never started its CPU work. */
    @Override
    public void close() {
        drain();
        close(true);
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
