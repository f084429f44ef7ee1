package dev.engram.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code engram eval --fit}: ingests every conversation, asks every source each question once, splits the
 * conversations into two halves ({@link DevSplit}), fits the fusion weights on each half ({@link FusionFit}) and
 * scores every half with each single source, the starting (configured) weights and both fitted weight sets.
 * The weights fitted on half A are the result; the fit on B is the swap that shows whether the fit is stable.
 * Fusing in memory makes each weight set cost milliseconds, not a new recall run. Not thread-safe.
 */
public final class FitRunner {
    private final EvalTarget target;
    private final EvalOptions options;

    public FitRunner(EvalTarget target, EvalOptions options) {
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param start the weights the fit starts from and is compared with (the configured {@code [recall.weights]})
     */
    public FitReport run(List<LocomoSample> samples, Map<String, Double> start) throws Exception {
        DevSplit split = DevSplit.of(samples);
        EvalRunner runner = new EvalRunner(target, options);
        runner.ingest(samples);
        target.awaitIdle(options.idleTimeout());
        List<FusionFit.Asked> a = ask(runner, split.a());
        List<FusionFit.Asked> b = ask(runner, split.b());
        Map<String, Double> fitA = FusionFit.fit(a, start);
        Map<String, Double> fitB = FusionFit.fit(b, start);
        Map<String, Run> runs = runs(a, b, start, fitA, fitB);
        return new FitReport(split, start, fitA, fitB, report(a, runs), report(b, runs));
    }

    private List<FusionFit.Asked> ask(EvalRunner runner, List<LocomoSample> half) throws Exception {
        List<FusionFit.Asked> asked = new ArrayList<>();
        for (LocomoSample sample : half) {
            for (LocomoSample.Question q : sample.questions()) {
                if (q.evidence().isEmpty()) continue;
                long start = System.nanoTime();
                EvalTarget.Fusable answers = target.answers(runner.chatId(sample), q.question(), EvalRunner.MAX_K);
                String answer = q.category() == EvalRunner.ADVERSARIAL ? null : q.answer();
                asked.add(new FusionFit.Asked(q.category(), q.evidence(), answer, answers, System.nanoTime() - start));
            }
        }
        return asked;
    }

    /** One weight set scored on a half; {@code expanding} null = the target's configured expanding sources. */
    private record Run(Map<String, Double> weights, Set<String> expanding) {
        QuestionResult score(FusionFit.Asked q) {
            List<RecalledUnit> units = expanding == null ? q.answers().fuse(weights)
                    : q.answers().fuse(weights, expanding);
            return QuestionResult.score(q.category(), units, q.evidence(), q.answer(), q.latencyNanos());
        }
    }

    /**
     * Each answering source alone, then the starting weights, the starting weights with every source voting
     * (no expansion: the comparison for the graph's role), and the two fitted weight sets.
     */
    private static Map<String, Run> runs(List<FusionFit.Asked> a, List<FusionFit.Asked> b, Map<String, Double> start,
                                         Map<String, Double> fitA, Map<String, Double> fitB) {
        TreeSet<String> sources = new TreeSet<>();
        a.forEach(q -> sources.addAll(q.answers().sources()));
        b.forEach(q -> sources.addAll(q.answers().sources()));
        Map<String, Run> runs = new LinkedHashMap<>();
        for (String s : sources) runs.put(s, new Run(Map.of(s, 1.0), Set.of()));
        runs.put(FitReport.START, new Run(start, null));
        runs.put(FitReport.ALL_VOTE, new Run(start, Set.of()));
        runs.put(FitReport.FIT_A, new Run(fitA, null));
        runs.put(FitReport.FIT_B, new Run(fitB, null));
        return runs;
    }

    private EvalReport report(List<FusionFit.Asked> half, Map<String, Run> runs) {
        List<RunReport> reports = new ArrayList<>();
        runs.forEach((name, run) -> {
            List<QuestionResult> results = new ArrayList<>();
            for (FusionFit.Asked q : half) results.add(run.score(q));
            reports.add(RunReport.of(name, run.weights().keySet(), results, target.visibility()));
        });
        return new EvalReport(reports);
    }
}
