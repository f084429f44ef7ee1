package dev.engram.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The result of an evaluation: one {@link RunReport} per source set, printable as a table and
 * writable as JSON. With one run the JSON is that run's object
 * ({@code {"overall", "by_category", "latency_ms", "tokens_mean", "visibility_ms", "containment_threshold",
 * "containment_budget_tokens", "questions"}}; each score object holds {@code recall@5/10/20}, {@code hit@10},
 * {@code all@10}, {@code recall@10_turns}, {@code recall@256t/512t/1500t}, {@code containment} (null without
 * gold answers) and {@code containment_questions});
 * with several it is {@code {"runs": {"<name>": {…}, …}}}. Immutable.
 */
public record EvalReport(List<RunReport> runs) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvalReport {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) throw new IllegalArgumentException("a report needs at least one run");
    }

    /** The run called {@code name}. */
    public RunReport run(String name) {
        return runs.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run " + name));
    }

    /** The JSON document (see the class comment). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report", e);
        }
    }

    /** The JSON document as maps and lists. */
    Object document() {
        Object doc;
        if (runs.size() == 1) {
            doc = json(runs.getFirst());
        } else {
            Map<String, Object> byName = new LinkedHashMap<>();
            runs.forEach(r -> byName.put(r.name(), json(r)));
            doc = Map.of("runs", byName);
        }
        return doc;
    }

    public void writeJson(Path file) {
        try {
            Files.writeString(file, toJson() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A plain-text table: one line per run (categories 1–4) and one per category below it. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%-16s %5s %7s %7s %7s %7s %7s %9s %7s %7s %7s %7s %8s %8s %8s %7s%n", "run", "n", "R@5", "R@10",
                "R@20", "hit@10", "all@10", "R@10turns", "R@256t", "R@512t", "R@1500t", "contain", "p50 ms", "p95 ms",
                "p99 ms", "tokens"));
        for (RunReport r : runs) {
            row(sb, r.name() + " (1-4)", r.overall());
            sb.append(String.format(Locale.ROOT, " %8.2f %8.2f %8.2f %7.0f%n", r.latencyP50(), r.latencyP95(),
                    r.latencyP99(), r.tokensMean()));
            r.byCategory().forEach((c, s) -> {
                row(sb, "  cat " + c, s);
                sb.append('\n');
            });
            r.visibility().ifPresent(v -> sb.append(String.format(Locale.ROOT,
                    "  time-to-visibility p50 %.1f ms, p95 %.1f ms%n", v.p50Millis(), v.p95Millis())));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Scores s) {
        sb.append(String.format(Locale.ROOT, "%-16s %5d %7.3f %7.3f %7.3f %7.3f %7.3f %9.3f %7.3f %7.3f %7.3f %7s",
                name, s.questions(), s.recall5(), s.recall10(), s.recall20(), s.hit10(), s.all10(), s.recall10Turns(),
                s.recall256t(), s.recall512t(), s.recall1500t(),
                s.containedQuestions() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", s.containment())));
    }

    private static Map<String, Object> json(RunReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("overall", scores(r.overall()));
        Map<String, Object> categories = new LinkedHashMap<>();
        r.byCategory().forEach((c, s) -> categories.put(Integer.toString(c), scores(s)));
        out.put("by_category", categories);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", round(r.latencyP50(), 3));
        latency.put("p95", round(r.latencyP95(), 3));
        latency.put("p99", round(r.latencyP99(), 3));
        out.put("latency_ms", latency);
        out.put("tokens_mean", round(r.tokensMean(), 1));
        out.put("visibility_ms", r.visibility().<Object>map(v -> {
            Map<String, Object> vis = new LinkedHashMap<>();
            vis.put("p50", round(v.p50Millis(), 3));
            vis.put("p95", round(v.p95Millis(), 3));
            return vis;
        }).orElse(null));
        out.put("containment_threshold", AnswerContainment.THRESHOLD);
        out.put("containment_budget_tokens", QuestionResult.CONTAINMENT_BUDGET);
        out.put("questions", r.questions());
        return out;
    }

    private static Map<String, Object> scores(Scores s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recall@5", round(s.recall5(), 4));
        out.put("recall@10", round(s.recall10(), 4));
        out.put("recall@20", round(s.recall20(), 4));
        out.put("hit@10", round(s.hit10(), 4));
        out.put("all@10", round(s.all10(), 4));
        out.put("recall@10_turns", round(s.recall10Turns(), 4));
        out.put("recall@256t", round(s.recall256t(), 4));
        out.put("recall@512t", round(s.recall512t(), 4));
        out.put("recall@1500t", round(s.recall1500t(), 4));
        out.put("containment", s.containedQuestions() == 0 ? null : round(s.containment(), 4));
        out.put("containment_questions", s.containedQuestions());
        return out;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
