package dev.engram.eval;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * Mean scores over a set of questions. Immutable.
 *
 * @param recall10Turns      mean {@link QuestionResult#recall10Turns}
 * @param recall256t         mean recall within 256 tokens of injected text (likewise 512, 1,500)
 * @param containment        share of the questions with a gold answer whose answer is contained
 *                           ({@link QuestionResult#contained}); 0 when none has one
 * @param containedQuestions how many questions had a gold answer (the containment denominator)
 * @param questions          how many questions were averaged
 */
public record Scores(double recall5, double recall10, double recall20, double hit10, double all10,
                     double recall10Turns, double recall256t, double recall512t, double recall1500t,
                     double containment, int containedQuestions, int questions) {
    /** The means of {@code results}; all zero for none. */
    public static Scores mean(Collection<QuestionResult> results) {
        int n = results.size();
        if (n == 0) return new Scores(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        long answered = results.stream().filter(QuestionResult::hasAnswer).count();
        long contained = results.stream().filter(QuestionResult::contained).count();
        return new Scores(mean(results, QuestionResult::recall5), mean(results, QuestionResult::recall10),
                mean(results, QuestionResult::recall20),
                (double) results.stream().filter(QuestionResult::hit10).count() / n,
                (double) results.stream().filter(QuestionResult::all10).count() / n,
                mean(results, QuestionResult::recall10Turns), mean(results, QuestionResult::recall256t),
                mean(results, QuestionResult::recall512t), mean(results, QuestionResult::recall1500t),
                answered == 0 ? 0 : (double) contained / answered, (int) answered, n);
    }

    private static double mean(Collection<QuestionResult> results, ToDoubleFunction<QuestionResult> f) {
        return results.stream().mapToDouble(f).sum() / results.size();
    }
}
