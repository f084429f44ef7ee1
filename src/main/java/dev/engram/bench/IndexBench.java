package dev.engram.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.engram.config.EmbeddingConfig;
import dev.engram.memory.MemorySource;
import dev.engram.memory.vector.IndexOpenReport;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.memory.vector.OnnxEmbedder;
import dev.engram.memory.vector.VectorSettings;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

/**
 * {@code engram bench index}: recall latency of the vector and lexical sources with many stored
 * memories in one chat, and time-to-visibility of new messages at a steady rate.
 *
 * <ol>
 *   <li>Loads the embedding model and embeds a few thousand distinct generated sentences for real.</li>
 *   <li>Opens the index over a fresh data directory: the index rebuilds itself from the memory
 *       reader (the same path as a rebuild after a lost index), with vectors synthesised from the
 *       real sentence vectors (see {@link IndexBenchEmbedder}); embeddings land in SQLite.</li>
 *   <li>Recall latency: each query text once through {@code vector} (query embedded by the real
 *       model: no cache hit) and {@code lexical}, then {@code vector} again (embedding cached: the
 *       index alone).</li>
 *   <li>Live phase ({@link IndexBenchVisibility}): new messages at a steady rate with real embeddings,
 *       time-to-visibility, and recall latency while writing.</li>
 * </ol>
 * Run it on an otherwise idle machine: two cores are shared by everything here.
 */
public final class IndexBench {
    /** The chat that holds every stored memory. */
    static final String BIG_CHAT = "bench-big";
    /** Requirement of the issue: recall p95. */
    static final double RECALL_P95_TARGET_MS = 50;
    /** Requirement of the issue: time-to-visibility p95. */
    static final double VISIBILITY_P95_TARGET_MS = 1_000;

    private IndexBench() {
    }

    /**
     * Benchmark options.
     *
     * @param memories   stored memories in the one big chat (default 100,000)
     * @param sentences  distinct sentences embedded for real, from which memory vectors are made (default 2,000)
     * @param queries    measured query texts (default 300), after {@code warmup} unmeasured ones (default 50)
     * @param rate       live messages per second (default 100)
     * @param seconds    length of the live phase (default 20)
     * @param chats      chats the live messages spread over (default 20)
     * @param topK       k of every search (default 10)
     * @param cpuThreads size of the embedding CPU pool (default 2)
     * @param model      embedding model name (default bge-small-zh-v1.5)
     * @param dataDir    data directory to use and keep; {@code null}: a temporary one, deleted afterwards.
     *                   Reusing a kept directory skips the build (the index opens as is).
     * @param seed       seed of every generated text
     */
    public record Options(int memories, int sentences, int queries, int warmup, int rate, int seconds, int chats,
                          int topK, int cpuThreads, String model, Path dataDir, long seed) {
        public Options {
            Objects.requireNonNull(model, "model");
            if (memories < 1) throw new IllegalArgumentException("memories must be >= 1");
            if (sentences < 2 || sentences > 40_000) throw new IllegalArgumentException("sentences must be in [2, 40000]");
            if (queries < 1 || warmup < 0) throw new IllegalArgumentException("queries must be >= 1 and warmup >= 0");
            if (rate < 1 || rate > 1_000 || seconds < 0) throw new IllegalArgumentException("rate must be in [1, 1000], seconds >= 0");
            if (chats < 1 || topK < 1 || cpuThreads < 1) throw new IllegalArgumentException("chats, topK and cpuThreads must be >= 1");
        }

        /** The defaults described above. */
        public static Options defaults() {
            return new Options(100_000, 2_000, 300, 50, 100, 20, 20, 10, 2, OnnxEmbedder.BGE_SMALL_ZH, null, 42);
        }
    }

    /**
     * What was measured.
     *
     * @param indexed           memories in the index when measuring
     * @param build             how the index was opened and how long it took
     * @param sentenceEmbedMs   real model time per sentence (batched)
     * @param vector            vector recall, query embedding included (cache miss)
     * @param vectorCached      vector recall with the query embedding cached (the index alone)
     * @param lexical           lexical recall
     * @param live              the live phase
     */
    public record Result(long indexed, IndexOpenReport build, double sentenceEmbedMs, IndexBenchLatency vector,
                         IndexBenchLatency vectorCached, IndexBenchLatency lexical, Live live) {
        /** Whether every requirement of the issue was met. */
        public boolean passed() {
            return vector.p95Ms() <= RECALL_P95_TARGET_MS && lexical.p95Ms() <= RECALL_P95_TARGET_MS
                    && (live.messages() == 0 || live.visibility().p95Ms() <= VISIBILITY_P95_TARGET_MS)
                    && live.notVisible() == 0;
        }
    }

    /**
     * What the live phase measured.
     *
     * @param visibility       time from a message's scheduled arrival until it is searchable
     * @param vectorUnderLoad  vector recall from the big chat while writing
     * @param lexicalUnderLoad lexical recall from the big chat while writing
     * @param messages         messages written
     * @param checked          messages checked by a search right after they were indexed
     * @param notVisible       checked messages that search did not find (must be 0)
     * @param achievedRate     messages per second actually produced
     * @param cpuPerMessageMs  CPU time of the whole process during the phase, per message (all threads,
     *                         probes included): at 100 messages/s, 10 ms per message is one core
     */
    public record Live(IndexBenchLatency visibility, IndexBenchLatency vectorUnderLoad, IndexBenchLatency lexicalUnderLoad,
                       int messages, int checked, int notVisible, double achievedRate, double cpuPerMessageMs) {
    }

    /** Runs the benchmark, printing progress and a summary table to {@code out}. */
    public static Result run(Options o, PrintStream out) throws Exception {
        Path dir = o.dataDir() != null ? o.dataDir() : Files.createTempDirectory("engram-index-bench");
        ExecutorService cpu = Executors.newFixedThreadPool(o.cpuThreads(),
                Thread.ofPlatform().name("bench-cpu-", 0).daemon(true).factory());
        try (Storage storage = SqliteStorage.open(dir, 60_000)) {
            out.printf("engram bench index: %,d memories in one chat, model %s, data %s%n", o.memories(), o.model(), dir);
            out.printf("machine: %d cores, load average %.2f at start (run on an idle machine)%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            try (OnnxEmbedder model = OnnxEmbedder.load(o.model(), cpu, o.cpuThreads())) {
                return run(o, out, dir, storage, model);
            }
        } finally {
            cpu.shutdownNow();
            if (o.dataDir() == null) deleteRecursively(dir);
        }
    }

    private static Result run(Options o, PrintStream out, Path dir, Storage storage, OnnxEmbedder model) throws Exception {
        IndexBenchCorpus corpus = new IndexBenchCorpus(o.seed(), o.sentences(), o.memories(), o.queries() + o.warmup());
        long t0 = System.nanoTime();
        List<float[]> sentenceVectors = model.embedAll(corpus.sentences());
        double perSentence = (System.nanoTime() - t0) / 1e6 / corpus.sentences().size();
        out.printf("embedded %,d distinct sentences for real: %.2f ms each%n", corpus.sentences().size(), perSentence);

        VectorSettings settings = VectorSettings.builder().model(o.model())
                .similarityThreshold(EmbeddingConfig.DEFAULTS.similarityThreshold())
                .messageRetention(Duration.ofDays(3650)).memoryRetention(Duration.ofDays(3650)).build();
        IndexBenchEmbedder embedder = new IndexBenchEmbedder(model, corpus, sentenceVectors);
        try (LuceneMemoryIndex index = LuceneMemoryIndex.open(dir.resolve(LuceneMemoryIndex.DIR_NAME), settings,
                embedder, storage, (after, limit) -> corpus.memoriesAfter(after, limit, BIG_CHAT),
                Clock.systemUTC(), System.err)) {
            IndexOpenReport build = index.openReport();
            long indexed = index.memoryCount();
            out.printf("index %s in %.1f s (%s): %,d memories indexed (%,d vectors synthesised, %,d reused)%n",
                    build.outcome().name().toLowerCase(), build.took().toMillis() / 1e3, build.reason(), indexed,
                    build.embeddingsComputed(), build.embeddingsReused());

            List<String> queries = corpus.queries();
            for (String q : queries.subList(0, o.warmup())) {
                search(index.vectorSource(), q, o.topK());
                search(index.lexicalSource(), q, o.topK());
            }
            List<String> measured = queries.subList(o.warmup(), queries.size());
            IndexBenchLatency vector = measure(index.vectorSource(), measured, o.topK());
            IndexBenchLatency lexical = measure(index.lexicalSource(), measured, o.topK());
            IndexBenchLatency cached = measure(index.vectorSource(), measured, o.topK());

            out.printf("live phase: %d messages/s for %d s over %d chats (real embeddings)...%n", o.rate(), o.seconds(), o.chats());
            Live live = IndexBenchVisibility.run(index, storage, corpus, BIG_CHAT, o.rate(),
                    o.seconds(), o.chats(), o.topK(), o.seed());
            Result result = new Result(indexed, build, perSentence, vector, cached, lexical, live);
            print(result, o, out);
            return result;
        }
    }

    private static IndexBenchLatency measure(MemorySource source, List<String> queries, int k) throws Exception {
        long[] nanos = new long[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            long t0 = System.nanoTime();
            search(source, queries.get(i), k);
            nanos[i] = System.nanoTime() - t0;
        }
        return IndexBenchLatency.of(nanos, nanos.length);
    }

    private static void search(MemorySource source, String query, int k) throws Exception {
        source.search(BIG_CHAT, query, k, Instant.MAX);
    }

    private static void print(Result r, Options o, PrintStream out) {
        out.println();
        out.printf("recall with %,d memories in one chat (k=%d)         p50      p95      p99      max  [ms]%n", r.indexed(), o.topK());
        out.printf("  vector  (query embedded, cache miss)      %s%n", r.vector().row());
        out.printf("  vector  (query embedding cached)          %s%n", r.vectorCached().row());
        out.printf("  lexical (BM25)                            %s%n", r.lexical().row());
        Live live = r.live();
        if (live.messages() > 0) {
            out.printf("while writing %d msgs/s (achieved %.1f; process CPU %.1f ms per message):%n", o.rate(),
                    live.achievedRate(), live.cpuPerMessageMs());
            out.printf("  vector  (cache miss or hit)               %s%n", live.vectorUnderLoad().row());
            out.printf("  lexical                                   %s%n", live.lexicalUnderLoad().row());
            out.printf("  time-to-visibility                        %s%n", live.visibility().row());
            out.printf("  visible when indexMessages returned: %d of %d checked%n", live.checked() - live.notVisible(), live.checked());
        }
        out.printf("requirements: recall p95 <= %.0f ms, visibility p95 <= %.0f ms: %s%n", RECALL_P95_TARGET_MS,
                VISIBILITY_P95_TARGET_MS, r.passed() ? "PASS" : "FAIL");
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
