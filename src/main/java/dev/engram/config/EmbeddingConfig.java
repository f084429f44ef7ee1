package dev.engram.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code [embedding]}: the in-process embedding model and the vector/lexical index.
 *
 * @param model               {@code bge-small-zh-v1.5} (Chinese, default) or {@code all-minilm-l6-v2} (English)
 * @param similarityThreshold vector hits below this cosine similarity are dropped (the original's 0.6)
 * @param messageRetention    raw messages leave the index after this age (the message log keeps them)
 * @param memoryRetention     instant memories leave the index after this age
 */
public record EmbeddingConfig(String model, double similarityThreshold, Duration messageRetention,
                              Duration memoryRetention) {
    static final List<String> MODELS = List.of("bge-small-zh-v1.5", "all-minilm-l6-v2");

    /** The built-in defaults of {@code [embedding]}. */
    public static final EmbeddingConfig DEFAULTS = new EmbeddingConfig("bge-small-zh-v1.5", 0.6, Duration.ofDays(30),
            Duration.ofDays(365));

    static EmbeddingConfig read(Section s) {
        String model = s.string("model", DEFAULTS.model, MODELS::contains,
                "must be one of \"" + String.join("\", \"", MODELS) + "\"");
        double threshold = s.number("similarity_threshold", DEFAULTS.similarityThreshold, d -> d >= 0 && d <= 1,
                "must be in [0, 1]");
        long messageDays = s.integer("message_retention_days", DEFAULTS.messageRetention.toDays(),
                d -> d >= 1 && d <= 36_500, "must be a whole number of days in [1, 36500]");
        long memoryDays = s.integer("memory_retention_days", DEFAULTS.memoryRetention.toDays(),
                d -> d >= messageDays && d <= 36_500,
                "must be a whole number of days in [message_retention_days, 36500]");
        s.finish();
        return new EmbeddingConfig(model, threshold, Duration.ofDays(messageDays), Duration.ofDays(memoryDays));
    }
}
