package dev.engram.memory.vector;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OrtException;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * An {@link Embedder} running a quantised ONNX model in process (the model files LangChain4j
 * packages, ONNX Runtime on the CPU). Load it once with {@link #load}, share the instance, and
 * {@link #close()} it at shutdown: the model costs about a second to load and ~235 MB of native
 * memory (a second session for queries, the default on a pool of two or more threads, about 60 MB more).
 * A store-path text runs single-threaded inside ONNX Runtime, parallelism coming from the pool; a query,
 * which a reply waits for, may use two threads of its own session.
 *
 * <p>Concurrency: thread-safe. Every model run happens on the {@code cpu} executor given at load
 * time; the calling thread only waits, so call from virtual or task threads, never from a thread of
 * {@code cpu} itself (it would wait for work queued behind it). {@link #embedAll} keeps at most
 * {@code parallelism} texts of one call queued on {@code cpu} at a time and feeds the next text
 * only when one finishes. A query embedding ({@link #embed}, the reply path) goes in the foreground lane
 * ({@link CpuLanes}): it starts before every queued {@link #embedAll} text, so it waits for at most one
 * running text per worker, never for queued store-path work.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {
    /** Chinese (and passable English): BAAI bge-small-zh-v1.5, int8-quantised, 512 dimensions. */
    public static final String BGE_SMALL_ZH = "bge-small-zh-v1.5";
    /** English: sentence-transformers all-MiniLM-L6-v2, int8-quantised, 384 dimensions. */
    public static final String ALL_MINILM_L6 = "all-minilm-l6-v2";
    /** The model names {@link #load} accepts. */
    public static final List<String> MODELS = List.of(BGE_SMALL_ZH, ALL_MINILM_L6);
    /** The language each model is for ({@code zh}, {@code en}). */
    public static final Map<String, String> LANGUAGES = Map.of(BGE_SMALL_ZH, "zh", ALL_MINILM_L6, "en");
    /** The files LangChain4j packages for each model (bge pools the CLS token, MiniLM averages tokens). */
    private static final Map<String, OnnxEncoder.Spec> SPECS = Map.of(
            BGE_SMALL_ZH, new OnnxEncoder.Spec("bge-small-zh-v1.5-q.onnx", "bge-small-zh-v1.5-q-tokenizer.json", PoolingMode.CLS, 512),
            ALL_MINILM_L6, new OnnxEncoder.Spec("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", PoolingMode.MEAN, 384));

    private static final Logger log = LoggerFactory.getLogger(OnnxEmbedder.class);
    private static final long LOAD_STACK_BYTES = 32L << 20;

    private final OnnxEncoder model;
    private final OnnxEncoder queryModel;
    private final String modelId;
    private final int dimensions;
    private final CpuLanes cpu;
    private final int parallelism;

    private OnnxEmbedder(OnnxEncoder model, OnnxEncoder queryModel, String modelId, Executor cpu, int parallelism) {
        this.model = model;
        this.queryModel = queryModel;
        this.modelId = modelId;
        this.cpu = new CpuLanes(cpu);
        this.parallelism = parallelism;
        this.dimensions = model.dimension();
    }

    /**
     * Loads a model (blocking, about a second), on a short-lived thread of its own with a large
     * stack (ONNX Runtime's native initialisation needs more than a default thread stack).
     *
     * @param modelName   one of {@link #MODELS}
     * @param cpu         the bounded platform pool for CPU work; every model run happens there
     * @param parallelism how many texts of one {@link #embedAll} call may run at once (the pool size); query
     *                    embeddings get a session of their own with {@code min(2, parallelism)} intra-op
     *                    threads when it is more than one
     */
    public static OnnxEmbedder load(String modelName, Executor cpu, int parallelism) {
        return load(modelName, cpu, parallelism, Math.min(2, Math.max(1, parallelism)));
    }

    /**
     * As {@link #load(String, Executor, int)}, with the query session's thread count given.
     *
     * @param queryThreads intra-op threads of one query embedding ({@link #embed}, {@link #embedAsync}); with 1
     *                     queries share the store path's single-threaded session, with more they run on a
     *                     second session (about 60 MB more resident memory) that may use that many cores
     */
    public static OnnxEmbedder load(String modelName, Executor cpu, int parallelism, int queryThreads) {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(cpu, "cpu");
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
        if (queryThreads < 1) throw new IllegalArgumentException("queryThreads must be >= 1, was " + queryThreads);
        if (!MODELS.contains(modelName)) {
            throw new IllegalArgumentException("model must be one of " + MODELS + ", was '" + modelName + "'");
        }
        long start = System.nanoTime();
        CompletableFuture<OnnxEmbedder> loaded = new CompletableFuture<>();
        // ONNX Runtime 1.29 recurses deeply while creating its environment (about 12k native frames),
        // which overflows a default 1 MB thread stack and kills the JVM; load on a thread with room.
        Thread.ofPlatform().name("onnx-model-load").stackSize(LOAD_STACK_BYTES).start(() -> {
            try {
                OnnxEncoder model = OnnxEncoder.create(SPECS.get(modelName), 1, cpu);
                OnnxEncoder queryModel = model;
                try {
                    if (queryThreads > 1) queryModel = OnnxEncoder.create(SPECS.get(modelName), queryThreads, cpu);
                } catch (Throwable t) {
                    model.close();
                    throw t;
                }
                OnnxEmbedder embedder = new OnnxEmbedder(model, queryModel, modelName + "-q", cpu, parallelism);
                embedder.runOn(model, "你好"); // the first run initialises the session and the tokenizer
                embedder.runOn(queryModel, "你好");
                loaded.complete(embedder);
            } catch (Throwable t) {
                loaded.completeExceptionally(t);
            }
        });
        OnnxEmbedder embedder = join(loaded);
        log.info("embedding model {} loaded ({} dimensions) in {} ms", embedder.modelId, embedder.dimensions,
                (System.nanoTime() - start) / 1_000_000);
        return embedder;
    }

    @Override
    public float[] embed(String text) {
        return join(embedAsync(text));
    }

    /** The query's run in the foreground lane; the future completes on the CPU pool, nobody waits meanwhile. */
    @Override
    public CompletableFuture<float[]> embedAsync(String text) {
        Objects.requireNonNull(text, "text");
        CompletableFuture<float[]> vector = new CompletableFuture<>();
        try {
            cpu.foreground(() -> {
                try {
                    vector.complete(runOn(queryModel, text));
                } catch (Throwable t) {
                    vector.completeExceptionally(t);
                }
            });
        } catch (RuntimeException e) {
            vector.completeExceptionally(e);
        }
        return vector;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        int n = texts.size();
        if (n == 0) return List.of();
        float[][] out = new float[n][];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger remaining = new AtomicInteger(n);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable step = new Runnable() {
            @Override
            public void run() {
                int i = next.getAndIncrement();
                if (i >= n || done.isDone()) return;
                try {
                    out[i] = runOn(model, texts.get(i));
                    if (remaining.decrementAndGet() == 0) done.complete(null);
                    else cpu.background(this); // re-queue at the tail: work queued meanwhile goes first
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }
        };
        try {
            for (int lane = 0; lane < Math.min(parallelism, n); lane++) cpu.background(step);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        join(done);
        return List.of(out);
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    private float[] runOn(OnnxEncoder encoder, String text) {
        return Vectors.normalized(encoder.vector(text));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Releases the model's native memory; no embedding may be running or start afterwards. */
    @Override
    public void close() {
        try {
            try {
                if (queryModel != model) queryModel.close();
            } finally {
                model.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX session of " + modelId + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "OnnxEmbedder[" + modelId + ", " + dimensions + " dims]";
    }
}
