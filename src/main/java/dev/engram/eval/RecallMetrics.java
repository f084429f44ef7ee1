package dev.engram.eval;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.engram.memory.recall.TokenEstimator;

/**
 * The retrieval metrics of {@code shared/data/README.md}, for one question: the top-k units' external
 * id sets are joined (ids in several units count once) and compared with the evidence.
 * <ul>
 *   <li>{@code recall@k = |evidence ∩ ids(top-k)| / |evidence|}</li>
 *   <li>{@code hit@k}: at least one evidence id is in the top k</li>
 *   <li>{@code all@k}: every evidence id is in the top k</li>
 *   <li>{@code turn recall@k} ({@link #turnRecallAt}): like recall@k, but only the first {@code k} distinct
 *       ids count, taken unit by unit in rank order and within a unit in its id order, so a unit built
 *       from many turns is not credited with all of them</li>
 *   <li>{@code recall@Bt} ({@link #recallAtTokens}): the units that fit into a budget of {@code B} tokens of
 *       injected text, taken in rank order and cut at the first unit that would exceed it (tokens per unit
 *       as {@link TokenEstimator#perMemory}, as the recall path counts them); recall over the distinct
 *       evidence ids they cover</li>
 * </ul>
 * Empty evidence has no defined recall; callers leave such questions out. Pure; thread-safe.
 */
public final class RecallMetrics {
    private RecallMetrics() {
    }

    /** Evidence ids found among the first {@code k} units. */
    public static int found(List<RecalledUnit> units, Collection<String> evidence, int k) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < Math.min(k, units.size()); i++) ids.addAll(units.get(i).externalIds());
        int found = 0;
        for (String e : new HashSet<>(evidence)) if (ids.contains(e)) found++;
        return found;
    }

    public static double recallAt(List<RecalledUnit> units, Collection<String> evidence, int k) {
        int total = new HashSet<>(evidence).size();
        if (total == 0) throw new IllegalArgumentException("recall is undefined for empty evidence");
        return (double) found(units, evidence, k) / total;
    }

    public static boolean hitAt(List<RecalledUnit> units, Collection<String> evidence, int k) {
        return found(units, evidence, k) > 0;
    }

    public static boolean allAt(List<RecalledUnit> units, Collection<String> evidence, int k) {
        return !evidence.isEmpty() && found(units, evidence, k) == new HashSet<>(evidence).size();
    }

    /** Recall counting only the first {@code k} distinct ids of the ranked units (see the class comment). */
    public static double turnRecallAt(List<RecalledUnit> units, Collection<String> evidence, int k) {
        Set<String> ids = new LinkedHashSet<>();
        for (RecalledUnit u : units) {
            for (String id : u.externalIds()) {
                if (ids.size() >= k) break;
                ids.add(id);
            }
            if (ids.size() >= k) break;
        }
        return share(ids, evidence);
    }

    /** The leading units whose {@link TokenEstimator#perMemory} tokens together stay within {@code budget}. */
    public static List<RecalledUnit> withinBudget(List<RecalledUnit> units, int budget) {
        int used = 0;
        int n = 0;
        for (RecalledUnit u : units) {
            int cost = TokenEstimator.perMemory(u.text());
            if (used + cost > budget) break;
            used += cost;
            n++;
        }
        return units.subList(0, n);
    }

    /** Recall of the distinct evidence ids covered by the units that fit into {@code budget} tokens. */
    public static double recallAtTokens(List<RecalledUnit> units, Collection<String> evidence, int budget) {
        Set<String> ids = new HashSet<>();
        for (RecalledUnit u : withinBudget(units, budget)) ids.addAll(u.externalIds());
        return share(ids, evidence);
    }

    private static double share(Set<String> ids, Collection<String> evidence) {
        Set<String> wanted = new HashSet<>(evidence);
        if (wanted.isEmpty()) throw new IllegalArgumentException("recall is undefined for empty evidence");
        return (double) wanted.stream().filter(ids::contains).count() / wanted.size();
    }
}
