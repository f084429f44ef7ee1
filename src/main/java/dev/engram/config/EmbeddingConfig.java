package dev.engram.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [embedding]}: the in-process embedding model and the vector/lexical index.
 *
 * @param model                {@code bge-small-zh-v1.5} (Chinese, default) or {@code all-minilm-l6-v2} (English)
 * @param similarityThresholds {@code [embedding.similarity_thresholds]}: per model, vector hits below this cosine
 *                             similarity are dropped. Models spread cosines very differently (bge-small-zh scores
 *                             unrelated texts around 0.4, MiniLM around 0.05), so one threshold cannot serve both.
 *                             The defaults sit at the same point of each model's similarities of unrelated
 *                             question–turn pairs, measured by {@code engram eval --calibrate} on the dev set:
 *                             bge-small-zh keeps the original 0.6, and MiniLM's threshold is its similarity at that
 *                             percentile (README "Evaluation")
 * @param messageRetention     raw messages leave the index after this age (the message log keeps them)
 * @param memoryRetention      instant memories leave the index after this age
 * @param indexRefresh         {@code index_refresh_ms}: concurrent index writers share one near-real-time refresh per
 *                             this interval (0 = every write refreshes on its own); a store is searchable once it returns
 * @param indexCommit          {@code index_commit_s}: longest time between durable index commits while writing (a crash
 *                             loses nothing: the catch-up at start re-indexes what came after the last commit)
 */
public record EmbeddingConfig(String model, Map<String, Double> similarityThresholds, Duration messageRetention,
                              Duration memoryRetention, Duration indexRefresh, Duration indexCommit) {
    static final List<String> MODELS = List.of("bge-small-zh-v1.5", "all-minilm-l6-v2");

    public EmbeddingConfig {
        similarityThresholds = Map.copyOf(similarityThresholds);
    }

    /** The built-in defaults of {@code [embedding]}. */
    public static final EmbeddingConfig DEFAULTS = new EmbeddingConfig("bge-small-zh-v1.5",
            Map.of("bge-small-zh-v1.5", 0.47, "all-minilm-l6-v2", 0.31), Duration.ofDays(30), Duration.ofDays(365),
            Duration.ofMillis(100), Duration.ofSeconds(60));

    /** These settings with other retention periods. */
    public EmbeddingConfig withRetention(Duration messages, Duration memories) {
        return new EmbeddingConfig(model, similarityThresholds, messages, memories, indexRefresh, indexCommit);
    }

    /** The threshold of the configured model. */
    public double similarityThreshold() {
        return similarityThresholds.get(model);
    }

    static EmbeddingConfig read(Section s) {
        String model = s.string("model", DEFAULTS.model, MODELS::contains,
                "must be one of \"" + String.join("\", \"", MODELS) + "\"");
        Section t = s.section("similarity_thresholds");
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String m : MODELS) {
            thresholds.put(m, t.number(m, DEFAULTS.similarityThresholds.get(m), d -> d >= 0 && d <= 1, "must be in [0, 1]"));
        }
        t.finish();
        long messageDays = s.integer("message_retention_days", DEFAULTS.messageRetention.toDays(),
                d -> d >= 1 && d <= 36_500, "must be a whole number of days in [1, 36500]");
        long memoryDays = s.integer("memory_retention_days", DEFAULTS.memoryRetention.toDays(),
                d -> d >= messageDays && d <= 36_500,
                "must be a whole number of days in [message_retention_days, 36500]");
        long refreshMs = s.integer("index_refresh_ms", DEFAULTS.indexRefresh.toMillis(), v -> v >= 0 && v <= 1_000,
                "must be an integer in [0, 1000]");
        long commitS = s.integer("index_commit_s", DEFAULTS.indexCommit.toSeconds(), v -> v >= 1 && v <= 3_600,
                "must be an integer in [1, 3600]");
        s.finish();
        return new EmbeddingConfig(model, thresholds, Duration.ofDays(messageDays), Duration.ofDays(memoryDays),
                Duration.ofMillis(refreshMs), Duration.ofSeconds(commitS));
    }
}
