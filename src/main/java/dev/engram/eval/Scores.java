package dev.engram.eval;

import java.util.Collection;

/**
 * Mean scores over a set of questions. Immutable.
 *
 * @param questions how many questions were averaged
 */
public record Scores(double recall5, double recall10, double recall20, double hit10, double all10, int questions) {
    /** The means of {@code results}; all zero for none. */
    public static Scores mean(Collection<QuestionResult> results) {
        int n = results.size();
        if (n == 0) return new Scores(0, 0, 0, 0, 0, 0);
        return new Scores(
                results.stream().mapToDouble(QuestionResult::recall5).sum() / n,
                results.stream().mapToDouble(QuestionResult::recall10).sum() / n,
                results.stream().mapToDouble(QuestionResult::recall20).sum() / n,
                (double) results.stream().filter(QuestionResult::hit10).count() / n,
                (double) results.stream().filter(QuestionResult::all10).count() / n,
                n);
    }
}
