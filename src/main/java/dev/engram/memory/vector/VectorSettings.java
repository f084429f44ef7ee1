package dev.engram.memory.vector;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the vector memory. Invalid values are rejected with an {@link IllegalArgumentException}
 * naming the field and the rule. The four fields with an {@code [embedding]} key ({@code model},
 * {@code similarityThreshold}, {@code messageRetention}, {@code memoryRetention}) have no default here: the
 * configuration holds it and the composition root maps it in. The index's own constants, which no key
 * sets, are the {@link Builder}'s starting values.
 *
 * @param model               embedding model name, one of {@link OnnxEmbedder#MODELS}
 * @param similarityThreshold lowest cosine similarity a vector hit needs (range 0..1)
 * @param topK                most candidates one source returns per query; caps the caller's k
 *                            (default 20, range 1..1000)
 * @param messageRetention    raw messages older than this leave the index (not the message log) (&gt; 0)
 * @param memoryRetention     instant memories older than this leave the index (at least {@code messageRetention})
 * @param rebuildBatchSize    rows read from the database per step of a rebuild (default 256, 1..10000)
 * @param embedBatchSize      most texts embedded in one model call on the write path
 *                            (default 32, 1..1024)
 * @param queryCacheSize      query embeddings kept in memory; 0 disables the cache (default 1024,
 *                            0..1000000)
 * @param refreshInterval     longest time a writer waits for concurrent writers to share its searcher
 *                            refresh (default 100 ms, 0..1 s); bounds refresh work under load, while
 *                            a lone writer refreshes at once
 * @param commitInterval      longest time between durable index commits while writing
 *                            (default 60 s, 1 s..1 h); a crash loses at most this much index work,
 *                            which is redone from the database at the next open
 * @param exactSearchLimit    most documents (messages and memories) a chat may hold for vector recall to score
 *                            every one exactly instead of walking the HNSW graph (default 5,000, 0..10,000,000;
 *                            0 = always the graph): exact answers do not depend on the order of writing, so an
 *                            imported or rebuilt chat recalls the same; the scan costs one dot product per
 *                            document (measured on a loaded 2-core machine: about 1 ms per 1,000 documents at
 *                            512 dimensions, against under 1 ms for the graph)
 */
public record VectorSettings(String model, double similarityThreshold, int topK, Duration messageRetention,
                             Duration memoryRetention, int rebuildBatchSize, int embedBatchSize,
                             int queryCacheSize, Duration refreshInterval, Duration commitInterval,
                             int exactSearchLimit) {
    public VectorSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(messageRetention, "messageRetention");
        Objects.requireNonNull(memoryRetention, "memoryRetention");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(commitInterval, "commitInterval");
        require(OnnxEmbedder.MODELS.contains(model), "model must be one of %s, was '%s'", OnnxEmbedder.MODELS, model);
        require(similarityThreshold >= 0 && similarityThreshold <= 1,
                "similarityThreshold must be in [0, 1], was %s", similarityThreshold);
        require(topK >= 1 && topK <= 1000, "topK must be in [1, 1000], was %s", topK);
        require(messageRetention.isPositive(), "messageRetention must be > 0, was %s", messageRetention);
        require(memoryRetention.compareTo(messageRetention) >= 0,
                "memoryRetention must be >= messageRetention (%s), was %s", messageRetention, memoryRetention);
        require(rebuildBatchSize >= 1 && rebuildBatchSize <= 10_000,
                "rebuildBatchSize must be in [1, 10000], was %s", rebuildBatchSize);
        require(embedBatchSize >= 1 && embedBatchSize <= 1024, "embedBatchSize must be in [1, 1024], was %s", embedBatchSize);
        require(queryCacheSize >= 0 && queryCacheSize <= 1_000_000,
                "queryCacheSize must be in [0, 1000000], was %s", queryCacheSize);
        require(!refreshInterval.isNegative() && refreshInterval.compareTo(Duration.ofSeconds(1)) <= 0,
                "refreshInterval must be in [0, 1s], was %s", refreshInterval);
        require(commitInterval.compareTo(Duration.ofSeconds(1)) >= 0 && commitInterval.compareTo(Duration.ofHours(1)) <= 0,
                "commitInterval must be in [1s, 1h], was %s", commitInterval);
        require(exactSearchLimit >= 0 && exactSearchLimit <= 10_000_000,
                "exactSearchLimit must be in [0, 10000000], was %s", exactSearchLimit);
    }

    /** A builder preset with the index's constants; the {@code [embedding]} fields must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with these settings. */
    public Builder toBuilder() {
        return new Builder().model(model).similarityThreshold(similarityThreshold).topK(topK)
                .messageRetention(messageRetention).memoryRetention(memoryRetention)
                .rebuildBatchSize(rebuildBatchSize).embedBatchSize(embedBatchSize)
                .queryCacheSize(queryCacheSize).refreshInterval(refreshInterval).commitInterval(commitInterval)
                .exactSearchLimit(exactSearchLimit);
    }

    private static void require(boolean ok, String rule, Object... args) {
        if (!ok) throw new IllegalArgumentException(String.format(rule, args));
    }

    /** Mutable builder; {@link #build()} fails naming a field never set, then validates. Not thread-safe. */
    public static final class Builder {
        private String model;
        private Double similarityThreshold;
        private int topK = 20;
        private Duration messageRetention;
        private Duration memoryRetention;
        private int rebuildBatchSize = 256;
        private int embedBatchSize = 32;
        private int queryCacheSize = 1024;
        private Duration refreshInterval = Duration.ofMillis(100);
        private Duration commitInterval = Duration.ofSeconds(60);
        private int exactSearchLimit = 5_000;

        private Builder() {
        }

        public Builder model(String v) { model = v; return this; }

        public Builder similarityThreshold(double v) { similarityThreshold = v; return this; }

        public Builder topK(int v) { topK = v; return this; }

        public Builder messageRetention(Duration v) { messageRetention = v; return this; }

        public Builder memoryRetention(Duration v) { memoryRetention = v; return this; }

        public Builder rebuildBatchSize(int v) { rebuildBatchSize = v; return this; }

        public Builder embedBatchSize(int v) { embedBatchSize = v; return this; }

        public Builder queryCacheSize(int v) { queryCacheSize = v; return this; }

        public Builder refreshInterval(Duration v) { refreshInterval = v; return this; }

        public Builder commitInterval(Duration v) { commitInterval = v; return this; }

        public Builder exactSearchLimit(int v) { exactSearchLimit = v; return this; }

        /** @throws IllegalStateException naming a field never set; IllegalArgumentException naming an invalid one */
        public VectorSettings build() {
            if (model == null) throw new IllegalStateException("model not set");
            if (similarityThreshold == null) throw new IllegalStateException("similarityThreshold not set");
            if (messageRetention == null) throw new IllegalStateException("messageRetention not set");
            if (memoryRetention == null) throw new IllegalStateException("memoryRetention not set");
            return new VectorSettings(model, similarityThreshold, topK, messageRetention, memoryRetention,
                    rebuildBatchSize, embedBatchSize, queryCacheSize, refreshInterval, commitInterval, exactSearchLimit);
        }
    }
}
