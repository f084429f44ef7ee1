package dev.engram.eval;

import java.util.Collection;
import java.util.List;

import dev.engram.memory.recall.TokenEstimator;

/**
 * The scores of one question in one run. Immutable.
 *
 * @param category      the question's category
 * @param recall5       recall@5
 * @param recall10      recall@10
 * @param recall20      recall@20
 * @param hit10         hit@10
 * @param all10         all@10
 * @param latencyNanos  how long the recall took
 * @param tokens        estimated tokens of the top {@value #INJECTED} units (what a reply prompt would carry)
 */
public record QuestionResult(int category, double recall5, double recall10, double recall20, boolean hit10,
                             boolean all10, long latencyNanos, int tokens) {
    /** Units counted as injected into a prompt for the token figure (matches recall@10). */
    public static final int INJECTED = 10;

    /** Scores {@code units} (best first) against {@code evidence} (not empty). */
    public static QuestionResult score(int category, List<RecalledUnit> units, Collection<String> evidence,
                                       long latencyNanos) {
        int tokens = units.stream().limit(INJECTED).mapToInt(u -> TokenEstimator.perMemory(u.text())).sum();
        return new QuestionResult(category, RecallMetrics.recallAt(units, evidence, 5),
                RecallMetrics.recallAt(units, evidence, 10), RecallMetrics.recallAt(units, evidence, 20),
                RecallMetrics.hitAt(units, evidence, 10), RecallMetrics.allAt(units, evidence, 10), latencyNanos, tokens);
    }
}
