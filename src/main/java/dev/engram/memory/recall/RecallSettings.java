package dev.engram.memory.recall;

import java.util.Map;
import java.util.Objects;

/**
 * Settings of recall fusion. Immutable; validated on construction. Defaults ({@link #defaults()}):
 * weights {@code lexical 1.0, vector 0.8, instant 0.3} and RRF constant 20, tuned on the dev set
 * ({@code shared/data/dev-memory-set.json}, offline LLM, bge-small-zh): fused recall@5/10/20 of
 * categories 1–4 = 0.599 / 0.700 / 0.781, against lexical alone 0.553 / 0.656 / 0.752, vector alone
 * 0.493 / 0.558 / 0.597, instant alone 0.326 / 0.348 / 0.390; the grid's spread was about ±0.01, so
 * nearby weights do as well. Not yet tuned: {@code graph 0.8}, {@code llm 1.0}; other sources 1.0.
 * 20 candidates asked of each source; 8 memories and at most 1,500 estimated tokens per recall;
 * LLM-assisted recall {@code prefetch}; near-identical texts (shingle Jaccard &gt;= 0.9) merged. The caches
 * are {@link RecallCache}'s.
 *
 * @param weights             RRF weight per source name; sources not listed get {@code defaultWeight}; 0 mutes a source
 * @param defaultWeight       weight of a source not in {@code weights}
 * @param rrfK                the reciprocal-rank-fusion constant {@code k} in {@code w / (k + rank)}
 * @param perSourceK          candidates asked of each source
 * @param topK                most memories returned
 * @param tokenBudget         most estimated tokens ({@link TokenEstimator}) of the returned memories together
 * @param llmMode             how LLM-assisted recall takes part
 * @param duplicateSimilarity texts at least this similar are one memory
 */
public record RecallSettings(Map<String, Double> weights, double defaultWeight, int rrfK, int perSourceK, int topK,
                             int tokenBudget, LlmRecallMode llmMode, double duplicateSimilarity) {
    /** The tuned default weights. */
    public static final Map<String, Double> DEFAULT_WEIGHTS = Map.of(
            "lexical", 1.0, "vector", 0.8, "instant", 0.3, "graph", 0.8, "llm", 1.0);

    public RecallSettings {
        weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
        Objects.requireNonNull(llmMode, "llmMode");
        weights.forEach((name, w) -> {
            if (!(w >= 0 && w <= 100)) throw new IllegalArgumentException("weight of source " + name + " must be in [0, 100], was " + w);
        });
        if (!(defaultWeight >= 0 && defaultWeight <= 100)) throw new IllegalArgumentException("defaultWeight must be in [0, 100]");
        if (rrfK < 1) throw new IllegalArgumentException("rrfK must be >= 1, was " + rrfK);
        if (perSourceK < 1) throw new IllegalArgumentException("perSourceK must be >= 1, was " + perSourceK);
        if (topK < 1) throw new IllegalArgumentException("topK must be >= 1, was " + topK);
        if (tokenBudget < 1) throw new IllegalArgumentException("tokenBudget must be >= 1, was " + tokenBudget);
        if (!(duplicateSimilarity > 0 && duplicateSimilarity <= 1)) {
            throw new IllegalArgumentException("duplicateSimilarity must be in (0, 1], was " + duplicateSimilarity);
        }
    }

    public static RecallSettings defaults() {
        return new RecallSettings(DEFAULT_WEIGHTS, 1.0, 20, 20, 8, 1_500, LlmRecallMode.PREFETCH, 0.9);
    }

    /** The weight of a source. */
    public double weight(String source) {
        return weights.getOrDefault(source, defaultWeight);
    }

    public RecallSettings withWeights(Map<String, Double> newWeights) {
        return new RecallSettings(newWeights, defaultWeight, rrfK, perSourceK, topK, tokenBudget, llmMode,
                duplicateSimilarity);
    }

    public RecallSettings withRrfK(int k) {
        return new RecallSettings(weights, defaultWeight, k, perSourceK, topK, tokenBudget, llmMode,
                duplicateSimilarity);
    }

    public RecallSettings withLlmMode(LlmRecallMode mode) {
        return new RecallSettings(weights, defaultWeight, rrfK, perSourceK, topK, tokenBudget, mode,
                duplicateSimilarity);
    }

    public RecallSettings withLimits(int newTopK, int newTokenBudget) {
        return new RecallSettings(weights, defaultWeight, rrfK, perSourceK, newTopK, newTokenBudget, llmMode,
                duplicateSimilarity);
    }
}
