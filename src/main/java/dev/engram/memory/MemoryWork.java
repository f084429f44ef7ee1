package dev.engram.memory;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.graph.BuildProgressListener;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.LlmRecall;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.recall.RecallQuery;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.model.Recall;
import dev.engram.task.MemoryTask;
import dev.engram.task.TaskContext;
import dev.engram.task.TaskHandler;
import dev.engram.task.TaskHandlers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What each memory task does, over the memory parts; every change ends by invalidating the chats it touched
 * in the one {@link RecallCache} (a store: its chat; build, forget, consolidate: all chats — graph edges
 * change every chat's activation).
 * <ul>
 *   <li>store: the {@link StorePipeline}, holding the chat's {@link ChatLocks lock} (deletions wait for it); then, in LLM {@code prefetch} mode, a {@code Prefetch} task follows
 *       (low priority, after the chat's earlier stores), so a slow or failing LLM never delays or re-runs
 *       the store;</li>
 *   <li>prefetch: {@link LlmRecall#prefetch}; a failure is counted ({@code engram.recall.prefetch.failures},
 *       {@link #prefetchStatus()}), logged and not retried: the next store prefetches again;</li>
 *   <li>retrieve: {@link FusedRecall} with the task's limit, timed ({@link RecallLatency});</li>
 *   <li>build, forget (index retention + graph forgetting), consolidate: the graph and the index; forget and
 *       consolidate leave {@link PinnedMemories pinned} memories alone.</li>
 * </ul>
 * Thread-safe; the engine runs maintenance one at a time and each chat's stores in order.
 */
public final class MemoryWork {
    private static final Logger log = LoggerFactory.getLogger(MemoryWork.class);

    private final StorePipeline pipeline;
    private final ChatLocks locks;
    private final FusedRecall recall;
    private final RecallCache cache;
    private final LlmRecall prefetcher;
    private final GraphMemory graph;
    private final LuceneMemoryIndex index;
    private final PinnedMemories pins;
    private final RecallLatency latency;
    private final Clock clock;
    private final Counter prefetchRuns;
    private final Counter prefetchFailures;
    private final AtomicReference<String> lastPrefetchFailure = new AtomicReference<>();

    /**
     * The prefetches run and failed since start, and the last failure ({@code null} if none).
     */
    public record PrefetchStatus(long runs, long failures, String lastFailure) {
    }

    /** @param prefetcher LLM-assisted recall to run after each store, or {@code null} (mode not {@code prefetch}) */
    public MemoryWork(StorePipeline pipeline, ChatLocks locks, FusedRecall recall, RecallCache cache, LlmRecall prefetcher,
                      GraphMemory graph, LuceneMemoryIndex index, PinnedMemories pins, RecallLatency latency, Clock clock,
                      MeterRegistry metrics) {
        this.pins = Objects.requireNonNull(pins, "pins");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.recall = Objects.requireNonNull(recall, "recall");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.prefetcher = prefetcher;
        this.graph = Objects.requireNonNull(graph, "graph");
        this.index = Objects.requireNonNull(index, "index");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.prefetchRuns = Counter.builder("engram.recall.prefetch.runs")
                .description("LLM recall prefetches run").register(metrics);
        this.prefetchFailures = Counter.builder("engram.recall.prefetch.failures")
                .description("LLM recall prefetches that failed").register(metrics);
    }

    /** The handlers of every task type, with {@code build} as given (the blocking baseline wraps it). */
    public TaskHandlers<Recall> handlers(TaskHandler<MemoryTask.Build> build) {
        return TaskHandlers.<Recall>builder()
                .onStore(this::store)
                .onPrefetch(this::prefetch)
                .onRetrieve((task, ctx) -> retrieve(task))
                .onBuild(build)
                .onForget((task, ctx) -> forget())
                .onConsolidate((task, ctx) -> consolidate())
                .build();
    }

    /** The plain build handler. */
    public void build(MemoryTask.Build task, TaskContext ctx) throws InterruptedException {
        try {
            log.info("记忆构建完成：{}", graph.build(BuildProgressListener.NONE));
        } finally {
            cache.invalidateAll();
        }
    }

    /** Builds the graph over the whole history of one chat (evaluation and imports). */
    public void buildHistory(String chatId) throws InterruptedException {
        try {
            graph.buildHistory(chatId, BuildProgressListener.NONE);
        } finally {
            cache.invalidateAll();
        }
    }

    /** The prefetches run and failed so far. */
    public PrefetchStatus prefetchStatus() {
        return new PrefetchStatus((long) prefetchRuns.count(), (long) prefetchFailures.count(), lastPrefetchFailure.get());
    }

    private void store(MemoryTask.Store task, TaskContext ctx) throws Exception {
        StorePipeline.Outcome outcome;
        try {
            outcome = locks.call(task.chatId(), () -> pipeline.store(task.chatId(), task.content(), task.messageIds()));
        } catch (Exception | Error e) {
            cache.invalidate(task.chatId()); // the raw messages may be indexed already
            throw e;
        }
        if (outcome.memoryChanged()) cache.invalidate(task.chatId());
        if (prefetcher != null) ctx.followUp(new MemoryTask.Prefetch(task.chatId(), task.content()));
        log.debug("stored task {}: {}", ctx.taskId(), outcome);
    }

    private void prefetch(MemoryTask.Prefetch task, TaskContext ctx) throws InterruptedException {
        if (prefetcher == null) return;
        prefetchRuns.increment();
        try {
            prefetcher.prefetch(task.chatId(), task.content());
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            // prefetching only gives the next turn a head start: counted and shown, never retried
            prefetchFailures.increment();
            lastPrefetchFailure.set(clock.instant() + " " + e);
            log.warn("LLM recall prefetch failed for chat {} (task {}): {}", task.chatId(), ctx.taskId(), e.toString());
        }
    }

    private Recall retrieve(MemoryTask.Retrieve task) {
        long start = System.nanoTime();
        try {
            return recall.recall(new RecallQuery(task.chatId(), task.query(), task.excludeMessages(), task.deadline(),
                    Set.of(), task.limit(), 0));
        } finally {
            latency.since(start);
        }
    }

    private void forget() throws Exception {
        log.info("[记忆遗忘] 开始遗忘记忆...");
        try {
            PinnedMemories.Pins pinned = pins.current();
            var removed = index.enforceRetention(clock.instant(), pinned.memoryIds());
            var forgotten = graph.forget(pinned.items());
            log.info("[记忆遗忘] 完成: index retention {}, graph {}", removed, forgotten);
        } finally {
            cache.invalidateAll();
        }
    }

    private void consolidate() throws Exception {
        try {
            log.info("[记忆整合] {}", graph.consolidate(pins.current().items()));
        } finally {
            cache.invalidateAll();
        }
    }
}
