package dev.engram.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The result of one run (one source set) over a dataset. Immutable.
 *
 * @param name       the run's name ({@code fused}, {@code lexical}, …)
 * @param sources    the sources used; empty = all, fused
 * @param overall    means over categories 1–4
 * @param byCategory means per category (5 included, reported apart from {@code overall})
 * @param latencyP50 recall latency percentiles, milliseconds
 * @param tokensMean mean estimated tokens of the injected units ({@link QuestionResult#tokens})
 * @param visibility time-to-visibility reported by the target, if any
 * @param questions  questions scored (all categories)
 */
public record RunReport(String name, Set<String> sources, Scores overall, Map<Integer, Scores> byCategory,
                        double latencyP50, double latencyP95, double latencyP99, double tokensMean,
                        Optional<EvalTarget.Visibility> visibility, int questions) {
    public RunReport {
        Objects.requireNonNull(name, "name");
        sources = Set.copyOf(sources);
        byCategory = Collections.unmodifiableSortedMap(new TreeMap<>(byCategory)); // category order
        Objects.requireNonNull(visibility, "visibility");
    }

    /** Aggregates the per-question results of a run. */
    public static RunReport of(String name, Set<String> sources, List<QuestionResult> results,
                               Optional<EvalTarget.Visibility> visibility) {
        List<QuestionResult> main = results.stream().filter(r -> r.category() >= 1 && r.category() <= 4).toList();
        Map<Integer, List<QuestionResult>> grouped = new TreeMap<>();
        for (QuestionResult r : results) grouped.computeIfAbsent(r.category(), c -> new ArrayList<>()).add(r);
        Map<Integer, Scores> byCategory = new TreeMap<>();
        grouped.forEach((c, list) -> byCategory.put(c, Scores.mean(list)));
        long[] latencies = results.stream().mapToLong(QuestionResult::latencyNanos).toArray();
        double tokens = results.stream().mapToInt(QuestionResult::tokens).average().orElse(0);
        return new RunReport(name, sources, Scores.mean(main), byCategory, millis(Percentiles.of(latencies, 50)),
                millis(Percentiles.of(latencies, 95)), millis(Percentiles.of(latencies, 99)), tokens, visibility,
                results.size());
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
