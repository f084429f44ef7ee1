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
import java.util.function.Predicate;
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
 *   <li>Order: score descending, then newer first, then key (its kind, then its id as a number: an order that
 *       survives an export and import, which renumber items but keep their order).</li>
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
            this(c.key(), c.text(), c.createdAt());
        }

        private Acc(String key, String text, Instant createdAt) {
            this.key = key;
            this.text = text;
            this.createdAt = createdAt;
        }

        void add(String source, double contribution, List<Long> messageIds) {
            credit(source, contribution);
            ids.addAll(messageIds);
            if (contribution > bestContribution) {
                bestContribution = contribution;
                bestSource = source;
            }
        }

        /** A copy to merge into, so the originals can take more contributions afterwards. */
        Acc copy() {
            Acc a = new Acc(key, text, createdAt);
            a.ids.addAll(ids);
            a.bySource.putAll(bySource);
            a.score = score;
            a.bestSource = bestSource;
            a.bestContribution = bestContribution;
            return a;
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
        return fuse(bySource, weight, rrfK, exclude, duplicateSimilarity, Set.of(), 1);
    }

    /**
     * Fusion with expansion: the sources in {@code expanding} do not vote on their own. The other sources are
     * fused first; an expanding source's candidate then takes part only when it shares a source message with one
     * of the {@code expandFrom} best fused items, and earns {@code w / (k + r)} with {@code r} its rank among
     * its source's candidates that do. With no expanding source answering this is plain fusion.
     */
    static List<Fused> fuse(Map<String, List<Candidate>> bySource, ToDoubleFunction<String> weight, int rrfK,
                            Set<Long> exclude, double duplicateSimilarity, Set<String> expanding, int expandFrom) {
        Map<String, Acc> byKey = new LinkedHashMap<>();
        boolean expands = false;
        for (Map.Entry<String, List<Candidate>> e : bySource.entrySet()) {
            if (expanding.contains(e.getKey())) expands |= !e.getValue().isEmpty();
            else accumulate(byKey, e.getKey(), e.getValue(), weight, rrfK, exclude, null);
        }
        List<Acc> kept = ranked(byKey, duplicateSimilarity);
        if (!expands) return kept.stream().map(Acc::toFused).toList();
        Set<Long> anchors = new HashSet<>();
        for (Acc a : kept.subList(0, Math.min(expandFrom, kept.size()))) anchors.addAll(a.ids);
        for (Map.Entry<String, List<Candidate>> e : bySource.entrySet()) {
            if (!expanding.contains(e.getKey())) continue;
            accumulate(byKey, e.getKey(), e.getValue(), weight, rrfK, exclude,
                    c -> c.messageIds().stream().anyMatch(anchors::contains));
        }
        return ranked(byKey, duplicateSimilarity).stream().map(Acc::toFused).toList();
    }

    /** Credits one source's candidates (those {@code admit} accepts, all when it is null) by their rank. */
    private static void accumulate(Map<String, Acc> byKey, String source, List<Candidate> candidates,
                                   ToDoubleFunction<String> weight, int rrfK, Set<Long> exclude,
                                   Predicate<Candidate> admit) {
        double w = weight.applyAsDouble(source);
        if (w <= 0) return;
        Set<String> seen = new HashSet<>();
        int rank = 0;
        for (Candidate c : candidates) {
            if (excluded(c, exclude) || !seen.add(c.key()) || (admit != null && !admit.test(c))) continue;
            rank++;
            byKey.computeIfAbsent(c.key(), k -> new Acc(c)).add(source, w / (rrfK + rank), c.messageIds());
        }
    }

    /** The accumulated items best first with near-duplicates merged (the accumulators are not changed). */
    private static List<Acc> ranked(Map<String, Acc> byKey, double duplicateSimilarity) {
        List<Acc> ranked = new ArrayList<>();
        for (Acc a : byKey.values()) ranked.add(a.copy());
        ranked.sort(ORDER);
        List<Acc> kept = mergeNearDuplicates(ranked, duplicateSimilarity);
        kept.sort(ORDER);
        return kept;
    }

    private static final Comparator<Acc> ORDER = Comparator.<Acc>comparingDouble(a -> -a.score)
            .thenComparing(a -> a.createdAt, Comparator.reverseOrder())
            .thenComparing(a -> a.key, Candidate::compareKeys);


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
                        || (TextSimilarity.jaccard(keptShingles.get(i), shingles) >= threshold
                        && TextSimilarity.sameNumbers(kept.get(i).text, a.text))) {
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
