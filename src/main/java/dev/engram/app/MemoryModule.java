package dev.engram.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.chat.ChatMemory;
import dev.engram.config.EngramConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.memory.ChatLocks;
import dev.engram.memory.DurableIntake;
import dev.engram.memory.MemoryService;
import dev.engram.memory.MemoryWork;
import dev.engram.memory.RecallPolicy;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.manage.MemoryExport;
import dev.engram.memory.manage.MemoryImport;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.vector.Embedder;
import dev.engram.memory.vector.IndexCatchUp;
import dev.engram.model.Recall;
import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.Storage;
import dev.engram.task.ClusterSettings;
import dev.engram.task.StoreBacklog;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskHandlers;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires the memory side of one instance in two halves. The constructor builds the cheap half at once: the task
 * engine (not started, its handlers bound to the other half), the recall cache and durable intake, so the
 * server takes messages (message and {@code Store} task in one transaction, replayed at the engine's start)
 * while {@link #startInBackground} builds the slow half ({@link MemoryParts}: model, index, graph, recall),
 * warms it up and starts the engine. Closing is two steps so the caller can stop its CPU pool in between:
 * {@link #drain()} (waits for a load in progress, never interrupting it; the engine; recall work) and
 * {@link #close(boolean)} (index, then model).
 */
final class MemoryModule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryModule.class);
    private static final Duration RECALL_STOP_WAIT = Duration.ofSeconds(5);
    /** How long stopping waits for the index load to finish the page it is writing (the rest resumes at the next start). */
    private static final Duration CATCH_UP_STOP_WAIT = Duration.ofSeconds(30);
    /** How long stopping waits for a background start in progress (a model load cannot be interrupted). */
    private static final Duration START_STOP_WAIT = Duration.ofSeconds(60);
    /** Locks between a chat's stores and deletions; more stripes than store workers, so chats rarely share one. */
    private static final int CHAT_LOCK_STRIPES = 256;

    /** Where the background start is. */
    enum Phase {
        /** Model, index and graph are being loaded; recall answers {@code skipped}, intake is durable. */
        LOADING,
        /** Loaded; the first recall and searcher use are being paid for, then the engine starts. */
        WARMING_UP,
        /** The engine runs (the index may still catch up: see {@link #catchUp()}). */
        READY,
        /** The load failed; intake stays durable and is memorised at the next successful start. */
        FAILED,
        /** Stopped before it was ready. */
        STOPPED
    }

    private final Storage storage;
    private final ExecutorService virtual;
    private final ChatLocks locks = new ChatLocks(CHAT_LOCK_STRIPES);
    private final TaskEngine<Recall> engine;
    private final MemoryParts.Base base;
    private final StartingChatMemory chatMemory;
    private final CountDownLatch settled = new CountDownLatch(1); // READY, FAILED or STOPPED
    private volatile MemoryParts parts; // set once loaded
    private volatile Phase phase = Phase.LOADING;
    private volatile RuntimeException failure;
    private volatile boolean stopping;
    private volatile Thread starter;
    private volatile boolean partsAbandoned; // the start did not end in time at shutdown: left to the process exit

    /**
     * @param changes      the change feed of the cluster's database ({@code PostgresStorage.openCluster}); with
     *                     {@code [cluster] enabled} the index, graph and recall cache follow it
     * @param cpu          the bounded platform pool every model run happens on (owned by the caller, stopped after
     *                     {@link #drain()} and before {@link #close(boolean)})
     * @param cores        how many texts of one call may be embedded at once
     * @param embedderView wraps the loaded model for every use of it (tests observe or hold embedding)
     */
    MemoryModule(EngramConfig config, Storage storage, Optional<ChangeFeedRepository> changes, LlmClient llm,
                 Prompts prompts, Clock clock, MeterRegistry metrics, ExecutorService cpu, int cores,
                 UnaryOperator<Embedder> embedderView) {
        this.storage = storage;
        this.virtual = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("engram-recall-", 0).factory());
        RecallCache cache = new RecallCache(Settings.recallCache(config.tasks()), clock);
        var tasks = TaskEngine.builder(storage, RecallPolicy.INSTANCE)
                .settings(Settings.tasks(config.tasks()))
                .clock(clock)
                .meterRegistry(metrics)
                .periodic(Settings.periodic(config))
                .cache(cache)
                .handlers(TaskHandlers.deferred(() -> parts().handlers));
        var cluster = config.cluster();
        if (cluster.enabled()) {
            tasks.cluster(new ClusterSettings(cluster.resolvedInstanceId(), cluster.lease(), cluster.heartbeat(),
                    cluster.poll()));
        }
        this.engine = tasks.build();
        this.base = new MemoryParts.Base(config, storage, changes, llm, prompts, clock, metrics, cpu, cores, embedderView,
                virtual, cache, locks, engine);
        this.chatMemory = new StartingChatMemory(new DurableIntake(storage, engine), engine);
    }

    /**
     * Builds the slow half, warms it up and starts the engine on a thread of its own; returns at once. The
     * state is {@link #phase()}; {@link #awaitStarted} waits for the end.
     *
     * @param warmUp one-time costs to pay (and wait for) before the first recall
     */
    void startInBackground(Runnable warmUp) {
        Thread t = Thread.ofPlatform().name("engram-memory-start").daemon().unstarted(() -> runStart(warmUp));
        starter = t;
        t.start();
    }

    /** Builds and starts on the caller's thread (what {@link #startInBackground} runs). */
    private void runStart(Runnable warmUp) {
        long begin = System.nanoTime();
        try {
            MemoryParts p = new MemoryParts(base);
            parts = p;
            long loaded = System.nanoTime();
            if (stopping) return;
            phase = Phase.WARMING_UP;
            warmUp.run();
            if (p.baseline != null) chatMemory.delegateTo(p.baseline);
            start(p);
            if (stopping) return;
            chatMemory.recallPreparedBy(p.service);
            phase = Phase.READY;
            log.info("memory ready in {} ms (model, index and graph {} ms, warm-up and engine start {} ms; the index "
                    + "catches up in the background)", (System.nanoTime() - begin) / 1_000_000,
                    (loaded - begin) / 1_000_000, (System.nanoTime() - loaded) / 1_000_000);
        } catch (RuntimeException e) {
            failure = e;
            phase = Phase.FAILED;
            log.error("the memory side failed to start: messages are still stored durably and memorised at the next start", e);
        } finally {
            if (phase != Phase.READY && phase != Phase.FAILED) phase = Phase.STOPPED;
            settled.countDown();
        }
    }

    /**
     * Starts loading the index in the background (rebuild or catch-up, see {@link #catchUp()}), then the engine:
     * the server answers meanwhile, recall serving what the index already holds.
     */
    private void start(MemoryParts p) {
        if (p.follower != null) startFollower(p); // places its cursor before the index's load scans the database
        p.index.startCatchUp(locks);
        // the first query embedding and searcher use cost a few hundred ms: pay them before the first user does
        p.recall.recall("__engram_warmup__", "预热 warm-up", Set.of(), engine.clock().instant().plusSeconds(10));
        if (stopping) return;
        engine.start();
    }

    private static void startFollower(MemoryParts p) {
        try {
            p.follower.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start following the change feed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting to follow the change feed", e);
        }
    }

    /**
     * Waits until the background start ended; rethrows its failure.
     *
     * @return whether it ended within {@code max}
     */
    boolean awaitStarted(Duration max) throws InterruptedException, TimeoutException {
        if (!settled.await(max.toMillis(), TimeUnit.MILLISECONDS)) throw new TimeoutException("memory not ready after " + max);
        if (failure != null) throw failure;
        return phase == Phase.READY;
    }

    Phase phase() {
        return phase;
    }

    boolean ready() {
        return phase == Phase.READY;
    }

    /** The message of the failed start, if it failed. */
    Optional<String> failure() {
        RuntimeException f = failure;
        return f == null ? Optional.empty() : Optional.of(String.valueOf(f.getMessage()));
    }

    private MemoryParts parts() {
        MemoryParts p = parts;
        if (p == null) throw new IllegalStateException("the memory side is not loaded yet (" + phase + ")");
        return p;
    }

    /** The loaded half, or {@code null} while loading. */
    MemoryParts loaded() {
        return phase == Phase.READY ? parts : null;
    }

    /** The chat pipeline's memory: durable intake at once, recall once ready (or the blocking baseline). */
    ChatMemory chatMemory() {
        return chatMemory;
    }

    MemoryAdmin admin() {
        return parts().admin;
    }

    MemoryExport export() {
        return parts().export;
    }

    MemoryImport importer() {
        return parts().importer;
    }

    /** The memory facade (intake, recall, tasks, graph view). */
    MemoryService service() {
        return parts().service;
    }

    /** The task handlers' parts (evaluation builds a chat's history through them). */
    MemoryWork work() {
        return parts().work;
    }

    /** Sections of {@code GET /api/status}: tasks, per-source counts, graph, recall latency, LLM prefetch. */
    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("tasks", engine.status());
        MemoryParts p = loaded();
        if (p == null) {
            s.put("memory", Map.of("phase", phase.name().toLowerCase(java.util.Locale.ROOT)));
            s.put("store_pipeline", storePipeline());
            return s;
        }
        Map<String, Object> sources = new LinkedHashMap<>();
        try {
            sources.put("indexed_messages", p.index.messageCount());
            sources.put("indexed_memories", p.index.memoryCount());
        } catch (IOException e) {
            sources.put("index_error", e.getMessage());
        }
        sources.put("instant_memories", storage.memories().count());
        sources.put("sources", p.recall.sourceNames());
        s.put("memory", sources);
        s.put("index_catch_up", p.index.catchUp().snapshot());
        s.put("store_pipeline", storePipeline());
        s.put("graph", p.graph.status());
        s.put("recall_latency_ms", p.latency.summary());
        s.put("llm_prefetch", p.work.prefetchStatus());
        if (p.follower != null) s.put("change_feed", p.follower.status());
        return s;
    }

    /** Progress of the index load, or {@code null} before the memory side is ready. */
    IndexCatchUp catchUp() {
        MemoryParts p = loaded();
        return p == null ? null : p.index.catchUp();
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
        return parts().graph;
    }

    TaskEngine<Recall> engine() {
        return engine;
    }

    FusedRecall recall() {
        return parts().recall;
    }

    /**
     * Stops the memory work: waits for a background start in progress (never interrupting a model load), then
     * the engine (stops intake, drains until its deadline, leaves the rest in the outbox), then the recall
     * threads. CPU work still queued is the caller's pool's to finish.
     */
    void drain() {
        stopping = true;
        awaitStarter();
        MemoryParts p = parts;
        if (p != null && !partsAbandoned) {
            MemoryParts.closeQuietly(p.follower); // commits the index and saves its cursor while the index is still open
            p.index.stopCatchUp(CATCH_UP_STOP_WAIT);
        }
        MemoryParts.closeQuietly(engine);
        virtual.shutdown();
        Shutdown.await(virtual, RECALL_STOP_WAIT, "recall");
    }

    private void awaitStarter() {
        Thread t = starter;
        if (t == null || t == Thread.currentThread()) return;
        try {
            if (!t.join(START_STOP_WAIT)) {
                partsAbandoned = true;
                log.warn("memory start still running {} ms after shutdown began: its model and index are left to the process exit",
                        START_STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            partsAbandoned = true;
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the index, then the embedding model. Call after {@link #drain()} and after the CPU pool stopped:
     * the model is freed only when no native run can be in progress.
     *
     * @param cpuStopped whether the CPU pool terminated; if not, the model is left to the process exit
     */
    void close(boolean cpuStopped) {
        MemoryParts p = parts;
        if (p == null || partsAbandoned) return;
        MemoryParts.closeQuietly(p.index);
        if (cpuStopped) MemoryParts.closeQuietly(p.embedder);
        else log.warn("CPU work still running at shutdown: the embedding model is left open to the process exit");
    }

    /** {@link #drain()} then {@link #close(boolean)} for an instance that never started its CPU work. */
    @Override
    public void close() {
        drain();
        close(true);
    }
}
