package dev.engram.eval;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The retrieval metrics of {@code shared/data/README.md}, for one question: the top-k units' external
 * id sets are joined (ids in several units count once) and compared with the evidence.
 * <ul>
 *   <li>{@code recall@k = |evidence ∩ ids(top-k)| / |evidence|}</li>
 *   <li>{@code hit@k}: at least one evidence id is in the top k</li>
 *   <li>{@code all@k}: every evidence id is in the top k</li>
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
}
