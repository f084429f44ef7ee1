package dev.engram.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.bench.BlockingChatMemory;
import dev.engram.config.EngramConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.memory.AsyncMemoryManager;
import dev.engram.memory.ChatLocks;
import dev.engram.memory.MemoryService;
import dev.engram.memory.MemoryWork;
import dev.engram.memory.PinnedMemories;
import dev.engram.memory.RecallLatency;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.cluster.ChangeFollower;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.instant.InstantSource;
import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.manage.MemoryExport;
import dev.engram.memory.manage.MemoryImport;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.LlmRecall;
import dev.engram.memory.recall.LlmRecallMode;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.recall.RecallScreen;
import dev.engram.memory.vector.Embedder;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.memory.vector.OnnxEmbedder;
import dev.engram.model.Recall;
import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.Storage;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskHandlers;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The slow-to-build half of the memory side: embedding model, vector/lexical index, graph, recall and the task
 * handlers over them. {@link MemoryModule} builds it in the background while the server already takes durable
 * intake through the (not yet started) engine. The constructor either returns a complete set or frees what it
 * loaded and throws.
 */
final class MemoryParts {
    private static final Logger log = LoggerFactory.getLogger(MemoryParts.class);

    /** What the parts are built over: the module's early half. */
    record Base(EngramConfig config, Storage storage, Optional<ChangeFeedRepository> changes, LlmClient llm,
                Prompts prompts, Clock clock, MeterRegistry metrics, ExecutorService cpu, int cores,
                UnaryOperator<Embedder> embedderView, ExecutorService virtual, RecallCache cache, ChatLocks locks,
                TaskEngine<Recall> engine) {
    }

    final OnnxEmbedder embedder;
    final LuceneMemoryIndex index;
    final GraphMemory graph;
    final FusedRecall recall;
    final MemoryWork work;
    final TaskHandlers<Recall> handlers;
    final MemoryService service;
    final RecallLatency latency;
    /** The blocking baseline's chat memory (benchmarks only), else {@code null}. */
    final BlockingChatMemory baseline;
    final MemoryAdmin admin;
    final MemoryExport export;
    final MemoryImport importer;
    /** Follows the other instances' changes; {@code null} outside cluster mode. */
    final ChangeFollower follower;

    MemoryParts(Base b) {
        EngramConfig config = b.config();
        Storage storage = b.storage();
        Clock clock = b.clock();
        this.embedder = OnnxEmbedder.load(config.embedding().model(), b.cpu(), b.cores());
        try {
            this.index = LuceneMemoryIndex.openDeferred(config.storage().dataDir().resolve(LuceneMemoryIndex.DIR_NAME),
                    Settings.vector(config), b.embedderView().apply(embedder), storage, storage.memories()::after, clock,
                    System.err);
        } catch (IOException | RuntimeException e) {
            closeQuietly(embedder);
            if (e instanceof IOException io) throw new UncheckedIOException("cannot open the memory index: " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
        try {
            RecallCache cache = b.cache();
            this.graph = GraphMemory.open(storage, b.llm(), b.prompts(), Settings.graph(config.memory(), clock.getZone()),
                    clock, new Random(), (version, chats) -> chats.forEach(cache::invalidate));
            InstantSource instant = new InstantSource(storage.memories(), clock, clock.getZone());
            LlmRecallMode mode = Settings.llmMode(config);
            LlmRecall llmRecall = mode == LlmRecallMode.OFF ? null
                    : new LlmRecall(b.llm(), b.prompts(), instant, b.virtual(), clock, LlmRecall.Settings.defaults(), cache);
            this.recall = new FusedRecall(List.of(index.lexicalSource(), index.vectorSource(), instant, graph.source()),
                    llmRecall, b.virtual(), clock, Settings.recall(config), cache,
                    new RecallScreen(storage.messages()::findAll, storage.memories()::findAll, storage.memories()::writtenFrom));
            IndexWriters writers = new IndexWriters(List.of(index, graph.indexWriter()));
            StorePipeline pipeline = new StorePipeline(storage.messages(), storage.memories(), writers, b.llm(), b.prompts(),
                    clock, Settings.storePipeline(config, clock.getZone()));
            this.admin = new MemoryAdmin(storage, index, graph, writers, cache, b.locks(), clock,
                    config.memory().forgetKeepsMessages());
            this.export = new MemoryExport(storage, graph, clock);
            this.importer = new MemoryImport(storage, index, graph, cache, config.memory().enableVectorInstantMemory());
            this.latency = new RecallLatency(b.metrics());
            this.work = new MemoryWork(pipeline, b.locks(), recall, cache, mode == LlmRecallMode.PREFETCH ? llmRecall : null,
                    graph, index, new PinnedMemories(storage.memories()), latency, clock, b.metrics());
            this.baseline = !config.chat().blocking() ? null
                    : new BlockingChatMemory(storage, pipeline, recall, llmRecall != null ? llmRecall
                            : new LlmRecall(b.llm(), b.prompts(), instant, b.virtual(), clock, LlmRecall.Settings.defaults(), cache));
            this.handlers = work.handlers(baseline == null ? work::build : baseline.exclusive(work::build));
            this.service = new MemoryService(storage, b.engine(), new AsyncMemoryManager(b.engine(), config.recall().timeout(),
                    config.tasks().cacheTtl()), graph, recall);
            this.follower = !config.cluster().enabled() || b.changes().isEmpty() ? null
                    : new ChangeFollower(b.changes().get(), index, graph, cache, b.locks(), clock,
                            ChangeFollower.Settings.defaults(config.cluster().resolvedInstanceId(), config.cluster().poll()));
        } catch (RuntimeException e) {
            closeQuietly(index);
            closeQuietly(embedder);
            throw e;
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing {} failed", c.getClass().getSimpleName(), e);
        }
    }
}
