package dev.engram.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.engram.app.DefaultSettings;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.Prompts;
import dev.engram.model.Memory;
import dev.engram.memory.MemorySource;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.instant.InstantMemorySettings;
import dev.engram.memory.instant.InstantSource;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.RecallQuery;
import dev.engram.memory.recall.RecallScreen;
import dev.engram.memory.recall.RecallSettings;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.memory.vector.OnnxEmbedder;
import dev.engram.memory.vector.VectorSettings;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

/**
 * An {@link EvalTarget} over the memory components themselves (no HTTP, no task engine): the real
 * store pipeline with the offline LLM, the Lucene vector/lexical index with the bge-small-zh model,
 * the instant source and fusion. Ingest runs the store pipeline synchronously, so the target is
 * always idle. For tuning fusion weights on the dev set. Not thread-safe.
 */
final class ComponentEvalTarget implements EvalTarget, AutoCloseable {
    private final Storage storage;
    private final ExecutorService cpu = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    private final ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
    private final LuceneMemoryIndex index;
    private final StorePipeline pipeline;
    private final List<MemorySource> sources;
    private final Clock clock = Clock.systemUTC();
    private final Map<Long, String> externalIds = new HashMap<>();
    private final List<Long> storeNanos = new ArrayList<>();
    private FusedRecall recall;

    ComponentEvalTarget(Path dir, RecallSettings settings) throws IOException {
        storage = SqliteStorage.open(dir, 10_000);
        OnnxEmbedder embedder = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL_ZH, cpu, Math.max(1, Runtime.getRuntime().availableProcessors()));
        VectorSettings vector = DefaultSettings.vector().toBuilder().messageRetention(Duration.ofDays(36_500))
                .memoryRetention(Duration.ofDays(36_500)).build();
        index = LuceneMemoryIndex.open(dir.resolve("index"), vector, embedder, storage, storage.memories()::after, clock,
                new PrintStream(OutputStream.nullOutputStream()));
        pipeline = new StorePipeline(storage.messages(), storage.memories(), index, new OfflineLlmClient(),
                Prompts.loadDefault(), clock, new StorePipeline.Settings(true, true, InstantMemorySettings.defaults(ZoneOffset.UTC)));
        sources = List.of(index.lexicalSource(), index.vectorSource(),
                new InstantSource(storage.memories(), clock, ZoneOffset.UTC));
        use(settings);
    }

    /** Recalls with other fusion settings from now on (the ingested data stays). */
    void use(RecallSettings settings) {
        recall = new FusedRecall(sources, null, virtual, clock, settings, DefaultSettings.recallCache(clock),
                new RecallScreen(storage.messages()::findAll, storage.memories()::findAll, storage.memories()::writtenFrom));
    }

    long memoryCount() {
        return storage.memories().count();
    }

    @Override
    public void ingest(String chatId, String speaker, String text, Instant at, String externalId) throws Exception {
        ChatMessage m = storage.messages().append(new NewMessage(chatId, ChatMessage.Role.USER, speaker, speaker, text, at,
                externalId));
        externalIds.put(m.id(), externalId);
        long start = System.nanoTime();
        pipeline.store(chatId, text, List.of(m.id()));
        storeNanos.add(System.nanoTime() - start);
    }

    @Override
    public void awaitIdle(Duration max) {
        // ingest is synchronous
    }

    @Override
    public Fusable answers(String chatId, String query, int k) {
        return new FixedAnswers(recall(chatId, query, Set.of(), k));
    }

    @Override
        public List<RecalledUnit> recall(String chatId, String query, Set<String> sources, int k) {
        var r = recall.recall(new RecallQuery(chatId, query, Set.of(), clock.instant().plusSeconds(10), sources, k,
                Integer.MAX_VALUE));
        List<RecalledUnit> units = new ArrayList<>();
        for (Memory m : r.memories()) {
            Set<String> ids = new HashSet<>();
            for (Long id : m.messageIds()) {
                String ext = externalIds.get(id);
                if (ext != null) ids.add(ext);
            }
            units.add(new RecalledUnit(ids, m.text(), m.source(), m.score()));
        }
        return units;
    }

    @Override
    public java.util.Optional<Visibility> visibility() {
        long[] nanos = storeNanos.stream().mapToLong(Long::longValue).toArray();
        return java.util.Optional.of(new Visibility(Percentiles.of(nanos, 50) / 1e6, Percentiles.of(nanos, 95) / 1e6));
    }

    @Override
    public void close() throws IOException {
        index.close();
        virtual.close();
        cpu.shutdown();
        storage.close();
    }
}
