package dev.engram.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Fits fusion weights to a set of asked questions by coordinate ascent on mean recall@10 (categories 1–4):
 * the weight of the anchor source (the one weighing most at the start; reciprocal-rank fusion depends only
 * on the ratios) stays put; every other source's weight in turn is set to the {@link #GRID} value that
 * maximises the objective with the others held (the lowest such value on ties), and rounds repeat until
 * one changes nothing (at most {@value #MAX_ROUNDS}). A change is taken only when it gains at least
 * {@value #MIN_GAIN} over the weight held (a third of one question's recall on 76 questions), so the fit
 * leaves the starting weights only for a real gain, not for noise. Pure apart from the answers' fusion; deterministic.
 */
public final class FusionFit {
    /** The weights tried for each source. */
    public static final List<Double> GRID = List.of(0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.4, 2.0);
    static final int MAX_ROUNDS = 4;
    static final double MIN_GAIN = 0.004;

    private FusionFit() {
    }

    /**
     * One question asked of every source.
     *
     * @param answer  the gold answer, {@code null} when none (category 5)
     * @param answers the sources' answers, fusable with any weights
     * @param latencyNanos how long asking the sources took
     */
    public record Asked(int category, List<String> evidence, String answer, EvalTarget.Fusable answers,
                        long latencyNanos) {
        public Asked {
            evidence = List.copyOf(evidence);
            Objects.requireNonNull(answers, "answers");
        }

        boolean scored() {
            return category >= 1 && category <= 4;
        }
    }

    /** The fitted weights, starting from {@code start}, over the sources named in {@code start} or answering. */
    public static Map<String, Double> fit(List<Asked> questions, Map<String, Double> start) {
        Map<String, Double> w = new LinkedHashMap<>();
        TreeSet<String> sources = new TreeSet<>(start.keySet());
        questions.forEach(q -> sources.addAll(q.answers().sources()));
        for (String s : sources) w.put(s, start.getOrDefault(s, 0.0));
        String anchor = sources.stream().max((x, y) -> Double.compare(w.get(x), w.get(y))).orElseThrow();
        double best = objective(questions, w);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean changed = false;
            for (String s : sources) {
                if (s.equals(anchor)) continue;
                double kept = w.get(s);
                double bestValue = kept;
                double bestObjective = best;
                for (double v : GRID) {
                    if (v == kept) continue;
                    w.put(s, v);
                    double o = objective(questions, w);
                    if (o > bestObjective) {
                        bestObjective = o;
                        bestValue = v;
                    }
                }
                boolean gain = bestObjective >= best + MIN_GAIN;
                w.put(s, gain ? bestValue : kept);
                if (gain) {
                    best = bestObjective;
                    changed = true;
                }
            }
            if (!changed) break;
        }
        return w;
    }

    /** Mean recall@10 over the questions of categories 1–4; 0 for none. */
    public static double objective(List<Asked> questions, Map<String, Double> weights) {
        List<Double> recalls = new ArrayList<>();
        for (Asked q : questions) {
            if (!q.scored()) continue;
            recalls.add(RecallMetrics.recallAt(q.answers().fuse(weights), q.evidence(), 10));
        }
        return recalls.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
