package dev.engram.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.chat.ChatMemory;
import dev.engram.chat.ChatService;
import dev.engram.chat.MemoryOffChatMemory;
import dev.engram.config.EngramConfig;
import dev.engram.config.LlmConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.memory.vector.Embedder;
import dev.engram.memory.vector.IndexCatchUp;
import dev.engram.store.Storage;
import dev.engram.surface.Surface;
import dev.engram.surface.SurfaceMetrics;
import dev.engram.surface.dashboard.Dashboard;
import dev.engram.surface.http.HttpExtension;
import dev.engram.surface.http.ApiServices;
import dev.engram.surface.http.HttpApi;
import dev.engram.surface.http.MemoryApi;
import dev.engram.surface.http.MemoryEndpoints;
import dev.engram.text.TextAnalysis;
import dev.engram.surface.onebot.OneBotSurface;
import dev.engram.surface.openai.OpenAiProxy;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The composition root: builds every part of one Engram instance from its configuration, starts
 * it, and closes it in reverse order. Holds no logic beyond wiring. Several instances can live in
 * one JVM (tests do that).
 */
public final class Engram implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engram.class);
    /** How long CPU work (embedding) queued at shutdown may take to finish before the model is left open. */
    private static final Duration CPU_STOP_WAIT = Duration.ofSeconds(30);
    /** How long an in-process {@link #start} waits for the memory side to load. */
    private static final Duration MEMORY_START_WAIT = Duration.ofMinutes(10);

    private final EngramConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final PrometheusMeterRegistry metrics;
    private final Storage storage;
    private final LlmClient llm;
    private final ExecutorService cpu; // CPU-bound work (embedding): platform threads, one per core
    private final MemoryModule memory; // null when memory.enable_memory = false
    private final ChatService chat;
    private final HttpApi http; // also in surfaces; kept for port()
    private final List<Surface> surfaces; // in start order
    private final SurfaceMetrics surfaceMetrics;
    private final OneBotSurface onebot; // null when [onebot] enabled = false
    private final OpenAiProxy proxy; // null when [proxy] enabled = false; closed after the surfaces
    private volatile boolean serving; // the surfaces are being opened: intake works (memory may still load)

    private Engram(EngramConfig config, Clock clock, Function<EngramConfig, LlmClient> llmFactory,
                   UnaryOperator<Embedder> embedderView) {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        this.surfaceMetrics = new SurfaceMetrics(metrics);
        Storages.Opened opened = Storages.open(config.storage(), config.cluster(), System::getenv);
        this.storage = opened.storage();
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.cpu = Executors.newFixedThreadPool(cores, Thread.ofPlatform().name("engram-cpu-", 0).daemon().factory());
        MemoryModule mem = null;
        OneBotSurface ob = null;
        OpenAiProxy px = null;
        try {
            this.llm = llmFactory.apply(config);
            Prompts prompts = Prompts.loadDefault();
            mem = config.memory().enableMemory()
                    ? new MemoryModule(config, storage, opened.changes(), llm, prompts, clock, metrics, cpu, cores, embedderView)
                    : null;
            this.memory = mem;
            ChatMemory chatMemory = memory == null ? new MemoryOffChatMemory(storage)
                    : memory.chatMemory();
            this.chat = new ChatService(chatMemory, storage.messages(), llm, prompts, config.chat().persona(),
                    clock, new ChatService.Settings(config.memory().enableMemory(), config.recall().timeout(),
                    config.chat().replyTimeout(), config.chat().historyMessages(), config.recall().topK()));
            ObjectMapper mapper = JsonMappers.api();
            MemoryModule m = memory;
            Supplier<MemoryEndpoints> endpoints = m == null ? null : () -> {
                MemoryParts p = m.loaded();
                return p == null ? null : new MemoryEndpoints(new MemoryApi(p.service), p.admin, p.export, p.importer);
            };
            List<HttpExtension> extensions = new ArrayList<>(); // other surfaces' routes on the API's port
            extensions.add(new Dashboard());
            ob = config.onebot().enabled() ? new OneBotSurface(config.onebot(), chat, surfaceMetrics,
                    mapper, clock, () -> ThreadLocalRandom.current().nextDouble()) : null;
            this.onebot = ob;
            if (onebot != null) extensions.add(onebot);
            px = config.proxy().enabled() ? proxy(prompts) : null;
            this.proxy = px;
            if (px != null) extensions.add(px);
            this.http = new HttpApi(config.server(),
                    new ApiServices(chat, this::status, this::health, metrics, surfaceMetrics, endpoints, extensions), mapper);
            // [server] is always on; the others start after it (their routes live on its port) and close first
            this.surfaces = onebot == null ? List.of(http) : List.of(http, onebot);
        } catch (RuntimeException e) {
            if (ob != null) ob.close();
            if (px != null) px.close();
            if (mem != null) mem.close();
            cpu.shutdown();
            storage.close();
            throw e;
        }
    }

    /** The OpenAI-compatible proxy: forwarding to {@code [llm]}'s endpoint, or answering with the offline provider. */
    private OpenAiProxy proxy(Prompts prompts) {
        LlmConfig l = config.llm();
        return l.provider() == LlmConfig.Provider.OPENAI
                ? OpenAiProxy.forwarding(config.proxy(), config.server().apiToken(), chat, surfaceMetrics, l.replyModel(),
                        l.baseUrl(), LlmClients.apiKey(l, System::getenv), l.connectTimeout(), l.requestTimeout())
                : OpenAiProxy.answering(config.proxy(), config.server().apiToken(), chat, surfaceMetrics, l.replyModel(),
                        llm, prompts, config.chat().persona(), config.chat().replyTimeout());
    }

    /** Builds and starts an instance with the system clock and the configured LLM provider. */
    public static Engram start(EngramConfig config) {
        return start(config, Clock.systemDefaultZone());
    }

    public static Engram start(EngramConfig config, Clock clock) {
        return start(config, clock, UnaryOperator.identity());
    }

    /**
     * {@link #start(EngramConfig, Clock)} with every use of the embedding model going through {@code embedderView}:
     * {@link #launch} and then waits until the memory side is loaded and its engine runs (the index may still
     * catch up in the background), for in-process callers that use it at once.
     */
    static Engram start(EngramConfig config, Clock clock, UnaryOperator<Embedder> embedderView) {
        Engram engram = launch(config, clock, embedderView);
        try {
            engram.awaitMemory();
        } catch (RuntimeException e) {
            engram.close();
            throw e;
        }
        return engram;
    }

    /**
     * Builds an instance and opens its surfaces as soon as intake is durable (configuration read, storage open
     * and migrated), then returns: the embedding model, index and graph load, warm up and the engine starts in
     * the background ({@code GET /health}: {@code starting}, then {@code catching_up} or {@code ok}). Replies
     * meanwhile come back without memories; stored messages wait in the outbox for the engine. Only the blocking
     * baseline of the benchmarks opens its surfaces after the load.
     */
    static Engram launch(EngramConfig config, Clock clock, UnaryOperator<Embedder> embedderView) {
        long begin = System.nanoTime();
        Engram engram = new Engram(config, clock, c -> LlmClients.create(c.llm(), System::getenv), embedderView);
        long built = System.nanoTime();
        try {
            engram.storage.messages().recent("", 1); // the first statements, before the first user waits for them
            Thread textWarmUp = Thread.ofPlatform().name("engram-warm-up").daemon().unstarted(TextAnalysis::warmUp);
            boolean blocking = engram.memory != null && config.chat().blocking();
            if (blocking) { // the benchmarks' baseline has no intake without its loaded parts
                textWarmUp.start();
                engram.memory.startInBackground(() -> join(textWarmUp));
                engram.awaitMemory();
            }
            engram.serving = true;
            for (Surface surface : engram.surfaces) surface.start();
            // the surfaces first: the model load would slow down the port's opening on a busy machine
            if (!blocking) {
                textWarmUp.start();
                if (engram.memory != null) engram.memory.startInBackground(() -> join(textWarmUp));
            }
        } catch (RuntimeException e) { // e.g. the port is taken: nothing keeps running
            engram.close();
            throw e;
        }
        long open = System.nanoTime();
        log.info("Engram started: storage={}, llm={}, memory={}, surfaces={}; port open {} ms after the JVM started "
                        + "(wiring and storage {} ms, surfaces {} ms)", engram.storage.describe(),
                engram.llm.name(), config.memory().enableMemory() ? "on (loading in the background)" : "off",
                engram.surfaces.stream().map(Surface::describe).toList(), sinceJvmStart(),
                (built - begin) / 1_000_000, (open - built) / 1_000_000);
        return engram;
    }

    /** Milliseconds since this JVM started (-1 when unknown). */
    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis()).orElse(-1L);
    }

    /** Waits for the memory side's background start; throws if it failed, was stopped or took too long. */
    void awaitMemory() {
        if (memory == null) return;
        try {
            if (!memory.awaitStarted(MEMORY_START_WAIT)) throw new IllegalStateException("stopped while starting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the memory side was loading", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Port of the HTTP API (useful when the configured port is 0). */
    public int port() {
        return http.port();
    }

    public EngramConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    Storage storage() {
        return storage;
    }

    /** The memory side, or null when memory is disabled. */
    MemoryModule memory() {
        return memory;
    }

    /**
     * The body of {@code GET /health}: {@code status} is {@code starting} (intake is durable, the memory side is
     * still loading, named by {@code memory}: {@code loading} model, index and graph, or {@code warming_up};
     * replies come without memories), {@code catching_up} (the index is being caught up or rebuilt in the
     * background, with its progress under {@code index}; recall answers from what the index holds), {@code ok},
     * or {@code degraded} (the index or memory load failed; live writes go on, recall may miss older items, or
     * all of them with {@code memory_error}).
     */
    Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        if (!serving || memory == null) {
            h.put("status", serving ? "ok" : "starting");
            return h;
        }
        MemoryModule.Phase phase = memory.phase();
        IndexCatchUp catchUp = memory.catchUp();
        String status = switch (phase) {
            case LOADING, WARMING_UP, STOPPED -> "starting";
            case FAILED -> "degraded";
            case READY -> switch (catchUp.state()) {
                case PENDING, CATCHING_UP, REBUILDING, STOPPED -> "catching_up";
                case DONE -> "ok";
                case FAILED -> "degraded";
            };
        };
        h.put("status", status);
        if (phase != MemoryModule.Phase.READY) h.put("memory", phase.name().toLowerCase(java.util.Locale.ROOT));
        memory.failure().ifPresent(f -> h.put("memory_error", f));
        if (catchUp != null && !status.equals("ok")) h.put("index", catchUp.snapshot());
        return h;
    }

    /** The body of {@code GET /api/status}. */
    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", health().get("status"));
        s.put("started_at", startedAt.toString());
        s.put("uptime_s", Duration.between(startedAt, clock.instant()).toSeconds());
        s.put("config", Map.of(
                "llm_provider", llm.name(),
                "storage", storage.describe(),
                "enable_memory", config.memory().enableMemory(),
                "enable_instant_memory", config.memory().enableInstantMemory(),
                "memory_build_interval_s", config.memory().memoryBuildInterval().toSeconds(),
                "recall_timeout_ms", config.recall().timeout().toMillis()));
        s.put("counts", Map.of(
                "messages", storage.messages().count(),
                "chats", storage.messages().countChats()));
        s.put("surfaces", surfaceMetrics.snapshot());
        if (onebot != null) s.put("onebot", onebot.status());
        if (memory != null) s.putAll(memory.status());
        s.put("jvm", JvmStatus.snapshot());
        return s;
    }

    /** Stops the surfaces first, newest first, so no request reaches a part that is already closed. */
    private void closeSurfaces() {
        for (Surface surface : surfaces.reversed()) {
            try {
                surface.close();
            } catch (RuntimeException e) {
                log.warn("closing the {} surface failed", surface.name(), e);
            }
        }
    }

    /**
     * Closes in order: stop intake (the surfaces) ▸ drain the engine ▸ stop CPU work (letting queued embeddings
     * finish; never interrupting a native call) ▸ close the index and the embedding model ▸ LLM ▸ storage.
     */
    @Override
    public void close() {
        try {
            closeSurfaces();
            if (proxy != null) proxy.close();
        } finally {
            if (memory != null) memory.drain();
            cpu.shutdown();
            boolean cpuStopped = Shutdown.await(cpu, CPU_STOP_WAIT, "CPU");
            if (memory != null) memory.close(cpuStopped);
            try {
                llm.close();
            } catch (Exception e) {
                log.warn("closing the LLM client failed", e);
            } finally {
                storage.close();
                metrics.close();
            }
        }
        log.info("Engram stopped");
    }
}
