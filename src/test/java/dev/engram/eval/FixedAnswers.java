package dev.engram.eval;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Answers of a test target that recalls in one step: fusing them again with any weights gives the same units. */
record FixedAnswers(List<RecalledUnit> units) implements EvalTarget.Fusable {
    @Override
    public Set<String> sources() {
        return Set.of("lexical");
    }

    @Override
    public List<RecalledUnit> fuse(Map<String, Double> weights) {
        return weights.getOrDefault("lexical", 0.0) > 0 ? units : List.of();
    }

    @Override
    public List<RecalledUnit> fuse(Map<String, Double> weights, Set<String> expanding) {
        return fuse(weights);
    }
}
