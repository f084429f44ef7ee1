package dev.engram.memory.instant;

import java.util.Map;
import java.util.Set;
/**
 * Scores a memory against weighted query terms (fixes D-I3's exact-equality-only matching): a term
 * equal to one of the memory's terms counts fully, a term contained in one (or containing one; both
 * at least two characters) counts half. The score is the matched share of the query's weight, in
 * [0, 1]. Pure; thread-safe.
 */
final class InstantScorer {
    private static final double PARTIAL = 0.5;

    private InstantScorer() {
    }

    static double score(Map<String, Double> queryTerms, Set<String> memoryTerms) {
        double total = 0;
        double matched = 0;
        for (Map.Entry<String, Double> e : queryTerms.entrySet()) {
            total += e.getValue();
            if (memoryTerms.contains(e.getKey())) matched += e.getValue();
            else if (partial(e.getKey(), memoryTerms)) matched += e.getValue() * PARTIAL;
        }
        return total == 0 ? 0 : matched / total;
    }

    private static boolean partial(String term, Set<String> memoryTerms) {
        if (term.codePointCount(0, term.length()) < 2) return false;
        for (String m : memoryTerms) {
            if (m.codePointCount(0, m.length()) >= 2 && (m.contains(term) || term.contains(m))) return true;
        }
        return false;
    }
}
