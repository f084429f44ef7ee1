package dev.engram.memory.recall;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of recall fusion. Immutable; validated on construction. The weights, {@code topK},
 * {@code tokenBudget} and {@code llmMode} have a {@code [recall]} key and their defaults live in the
 * configuration; {@link #of} adds fusion's own constants, which no key sets: weight 1.0 for a source not
 * named, RRF constant 20 (tuned on the dev set with the default weights), 20 candidates asked of each
 * source, near-identical texts (shingle Jaccard &gt;= 0.9) merged. The caches are {@link RecallCache}'s.
 *
 * @param weights             RRF weight per source name (finite, &gt;= 0); sources not listed get {@code defaultWeight};
 *                            0 mutes a source
 * @param defaultWeight       weight of a source not in {@code weights}
 * @param rrfK                the reciprocal-rank-fusion constant {@code k} in {@code w / (k + rank)}
 * @param perSourceK          candidates asked of each source
 * @param topK                most memories returned
 * @param tokenBudget         most estimated tokens ({@link TokenEstimator}) of the returned memories together
 * @param llmMode             how LLM-assisted recall takes part
 * @param duplicateSimilarity texts at least this similar are one memory
 * @param expanding           sources that expand rather than vote: their items take part only when they share a
 *                            source message with one of the {@code expandFrom} best items fused from the other
 *                            sources (the graph: an item linked to a top hit brings the turns one hop away)
 * @param expandFrom          how many top items of the other sources anchor the expansion
 */
public record RecallSettings(Map<String, Double> weights, double defaultWeight, int rrfK, int perSourceK, int topK,
                             int tokenBudget, LlmRecallMode llmMode, double duplicateSimilarity, Set<String> expanding,
                             int expandFrom) {
    /** The sources that expand from the top hits instead of voting (see {@link #expanding}). */
    public static final Set<String> EXPANDING = Set.of("graph");
    /** How many of the other sources' fused top hits an expanding source's item must connect to. */
    public static final int EXPAND_FROM = 5;

    public RecallSettings {
        weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
        expanding = Set.copyOf(expanding);
        if (expandFrom < 1) throw new IllegalArgumentException("expandFrom must be >= 1, was " + expandFrom);
        Objects.requireNonNull(llmMode, "llmMode");
        weights.forEach((name, w) -> {
            if (!(w >= 0 && Double.isFinite(w))) {
                throw new IllegalArgumentException("weight of source " + name + " must be finite and >= 0, was " + w);
            }
        });
        if (!(defaultWeight >= 0 && Double.isFinite(defaultWeight))) {
            throw new IllegalArgumentException("defaultWeight must be finite and >= 0, was " + defaultWeight);
        }
        if (rrfK < 1) throw new IllegalArgumentException("rrfK must be >= 1, was " + rrfK);
        if (perSourceK < 1) throw new IllegalArgumentException("perSourceK must be >= 1, was " + perSourceK);
        if (topK < 1) throw new IllegalArgumentException("topK must be >= 1, was " + topK);
        if (tokenBudget < 1) throw new IllegalArgumentException("tokenBudget must be >= 1, was " + tokenBudget);
        if (!(duplicateSimilarity > 0 && duplicateSimilarity <= 1)) {
            throw new IllegalArgumentException("duplicateSimilarity must be in (0, 1], was " + duplicateSimilarity);
        }
    }

    /** The configured values with fusion's own constants (see the type's description) for the rest. */
    public static RecallSettings of(Map<String, Double> weights, int topK, int tokenBudget, LlmRecallMode llmMode) {
        return new RecallSettings(weights, 1.0, 20, 20, topK, tokenBudget, llmMode, 0.9, EXPANDING, EXPAND_FROM);
    }

    /** The weight of a source. */
    public double weight(String source) {
        return weights.getOrDefault(source, defaultWeight);
    }

    public RecallSettings withWeights(Map<String, Double> newWeights) {
        return new RecallSettings(newWeights, defaultWeight, rrfK, perSourceK, topK, tokenBudget, llmMode,
                duplicateSimilarity, expanding, expandFrom);
    }

    public RecallSettings withRrfK(int k) {
        return new RecallSettings(weights, defaultWeight, k, perSourceK, topK, tokenBudget, llmMode,
                duplicateSimilarity, expanding, expandFrom);
    }

    public RecallSettings withLlmMode(LlmRecallMode mode) {
        return new RecallSettings(weights, defaultWeight, rrfK, perSourceK, topK, tokenBudget, mode,
                duplicateSimilarity, expanding, expandFrom);
    }

    public RecallSettings withExpanding(Set<String> sources) {
        return new RecallSettings(weights, defaultWeight, rrfK, perSourceK, topK, tokenBudget, llmMode,
                duplicateSimilarity, sources, expandFrom);
    }

    public RecallSettings withLimits(int newTopK, int newTokenBudget) {
        return new RecallSettings(weights, defaultWeight, rrfK, perSourceK, newTopK, newTokenBudget, llmMode,
                duplicateSimilarity, expanding, expandFrom);
    }
}
