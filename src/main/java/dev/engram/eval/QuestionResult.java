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
 * @param recall10Turns recall over the first 10 distinct turns ({@link RecallMetrics#turnRecallAt})
 * @param recall256t    recall within 256 tokens of injected text ({@link RecallMetrics#recallAtTokens})
 * @param recall512t    recall within 512 tokens
 * @param recall1500t   recall within 1,500 tokens
 * @param answerOverlap {@link AnswerContainment#overlap} of the gold answer with the units that fit into
 *                      {@value #CONTAINMENT_BUDGET} tokens; {@code NaN} when the question has no scorable
 *                      answer (category 5 has none)
 */
public record QuestionResult(int category, double recall5, double recall10, double recall20, boolean hit10,
                             boolean all10, long latencyNanos, int tokens, double recall10Turns, double recall256t,
                             double recall512t, double recall1500t, double answerOverlap) {
    /** Units counted as injected into a prompt for the token figure (matches recall@10). */
    public static final int INJECTED = 10;
    /** Token budget of the block checked for answer containment: the default {@code [recall] token_budget}. */
    public static final int CONTAINMENT_BUDGET = 1500;

    /** Scores {@code units} (best first) against {@code evidence} (not empty), without a gold answer. */
    public static QuestionResult score(int category, List<RecalledUnit> units, Collection<String> evidence,
                                       long latencyNanos) {
        return score(category, units, evidence, null, latencyNanos);
    }

    /**
     * Scores {@code units} (best first) against {@code evidence} (not empty) and {@code answer}
     * ({@code null} when the question has none).
     */
    public static QuestionResult score(int category, List<RecalledUnit> units, Collection<String> evidence,
                                       String answer, long latencyNanos) {
        int tokens = units.stream().limit(INJECTED).mapToInt(u -> TokenEstimator.perMemory(u.text())).sum();
        String block = AnswerContainment.block(RecallMetrics.withinBudget(units, CONTAINMENT_BUDGET));
        return new QuestionResult(category, RecallMetrics.recallAt(units, evidence, 5),
                RecallMetrics.recallAt(units, evidence, 10), RecallMetrics.recallAt(units, evidence, 20),
                RecallMetrics.hitAt(units, evidence, 10), RecallMetrics.allAt(units, evidence, 10), latencyNanos,
                tokens,
                RecallMetrics.turnRecallAt(units, evidence, 10), RecallMetrics.recallAtTokens(units, evidence, 256),
                RecallMetrics.recallAtTokens(units, evidence, 512), RecallMetrics.recallAtTokens(units, evidence, 1500),
                AnswerContainment.overlap(answer, block));
    }

    /** Whether the question has a gold answer that containment can score. */
    public boolean hasAnswer() {
        return !Double.isNaN(answerOverlap);
    }

    /** Whether the gold answer is contained in the injected block ({@link AnswerContainment#THRESHOLD}). */
    public boolean contained() {
        return answerOverlap >= AnswerContainment.THRESHOLD;
    }
}
