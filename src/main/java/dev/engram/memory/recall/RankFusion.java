package dev.engram.memory.recall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import dev.engram.memory.Candidate;
import dev.engram.text.TextSimilarity;

/**
 * Weighted reciprocal-rank fusion with de-duplication and exclusion. Pure; thread-safe.
 *
 * <ol>
 *   <li>Exclusion: a candidate is dropped when its key is {@code m:<id>} of an excluded message, or when all
 *       its source messages are excluded (the current turn must not be recalled as memory).</li>
 *   <li>Fusion: a candidate at 1-based rank {@code r} of source {@code s} earns {@code w(s) / (k + r)};
 *       contributions of the same key add up (only its best rank per source counts). Sources with weight 0
 *       contribute nothing.</li>
 *   <li>De-duplication: items whose texts are equal after normalisation or have shingle Jaccard at least
 *       {@code duplicateSimilarity} are merged into the higher-scored one (provenance unites; per source only
 *       the better contribution counts, so a source that returns both a message and the memory written from
 *       it does not vote twice).</li>
 *   <li>Order: score descending, then newer first, then key.</li>
 * </ol>
 */
final class RankFusion {
    private RankFusion() {
    }

    /** One fused memory. {@code source} is the source that contributed most. */
    record Fused(String key, String text, double score, Set<Long> messageIds, Instant createdAt, String source) {
    }

    /** Mutable accumulator, confined to one {@link #fuse} call. */
    private static final class Acc {
        final String key;
        final String text;
        final Instant createdAt;
        final Set<Long> ids = new LinkedHashSet<>();
        /** Each source's contribution (its best one among the merged items). */
        final Map<String, Double> bySource = new LinkedHashMap<>();
        double score;
        String bestSource;
        double bestContribution = -1;

        Acc(Candidate c) {
            this.key = c.key();
            this.text = c.text();
            this.createdAt = c.createdAt();
        }

        void add(String source, double contribution, List<Long> messageIds) {
            credit(source, contribution);
            ids.addAll(messageIds);
            if (contribution > bestContribution) {
                bestContribution = contribution;
                bestSource = source;
            }
        }

        void absorb(Acc other) {
            other.bySource.forEach(this::credit);
            ids.addAll(other.ids);
            if (other.bestContribution > bestContribution) {
                bestContribution = other.bestContribution;
                bestSource = other.bestSource;
            }
        }

        private void credit(String source, double contribution) {
            double before = bySource.getOrDefault(source, 0.0);
            if (contribution > before) {
                bySource.put(source, contribution);
                score += contribution - before;
            }
        }

        Fused toFused() {
            return new Fused(key, text, score, Set.copyOf(ids), createdAt, bestSource);
        }
    }

    /**
     * @param bySource            each answering source's candidates, best first, in a deterministic source order
     * @param weight              the weight of a source name ({@code [recall.weights]}, finite and &gt;= 0)
     * @param rrfK                the RRF constant
     * @param exclude             ids of the current turn's messages
     * @param duplicateSimilarity the near-duplicate threshold
     */
    static List<Fused> fuse(Map<String, List<Candidate>> bySource, ToDoubleFunction<String> weight, int rrfK,
                            Set<Long> exclude, double duplicateSimilarity) {
        Map<String, Acc> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, List<Candidate>> e : bySource.entrySet()) {
            double w = weight.applyAsDouble(e.getKey());
            if (w <= 0) continue;
            Set<String> seen = new HashSet<>();
            int rank = 0;
            for (Candidate c : e.getValue()) {
                if (excluded(c, exclude) || !seen.add(c.key())) continue;
                rank++;
                byKey.computeIfAbsent(c.key(), k -> new Acc(c)).add(e.getKey(), w / (rrfK + rank), c.messageIds());
            }
        }
        List<Acc> ranked = new ArrayList<>(byKey.values());
        ranked.sort(ORDER);
        List<Acc> kept = mergeNearDuplicates(ranked, duplicateSimilarity);
        kept.sort(ORDER);
        return kept.stream().map(Acc::toFused).toList();
    }

    private static final Comparator<Acc> ORDER = Comparator.<Acc>comparingDouble(a -> -a.score)
            .thenComparing(a -> a.createdAt, Comparator.reverseOrder())
            .thenComparing(a -> a.key);

    static boolean excluded(Candidate c, Set<Long> exclude) {
        if (exclude.isEmpty()) return false;
        if (c.key().startsWith("m:")) {
            try {
                if (exclude.contains(Long.parseLong(c.key().substring(2)))) return true;
            } catch (NumberFormatException ignored) {
                // not a message key after all: judge by provenance
            }
        }
        return !c.messageIds().isEmpty() && exclude.containsAll(c.messageIds());
    }

    private static List<Acc> mergeNearDuplicates(List<Acc> ranked, double threshold) {
        List<Acc> kept = new ArrayList<>();
        List<String> keptNormalized = new ArrayList<>();
        List<Set<String>> keptShingles = new ArrayList<>();
        outer:
        for (Acc a : ranked) {
            String normalized = TextSimilarity.normalize(a.text);
            Set<String> shingles = TextSimilarity.shingles(a.text);
            for (int i = 0; i < kept.size(); i++) {
                if (keptNormalized.get(i).equals(normalized)
                        || TextSimilarity.jaccard(keptShingles.get(i), shingles) >= threshold) {
                    kept.get(i).absorb(a);
                    continue outer;
                }
            }
            kept.add(a);
            keptNormalized.add(normalized);
            keptShingles.add(shingles);
        }
        return kept;
    }
}
