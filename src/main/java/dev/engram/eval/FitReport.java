package dev.engram.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The result of {@code engram eval --fit}: the split, the starting and fitted weights, and each half's
 * report (runs: every source alone, {@value #START}, {@value #ALL_VOTE}, {@value #FIT_A}, {@value #FIT_B}). Printable as tables
 * plus a {@code [recall.weights]} snippet of the weights fitted on A; writable as JSON
 * ({@code {"split": {"a", "b"}, "weights": {"start", "fit-A", "fit-B"}, "held": bool, "half_a": report,
 * "half_b": report}}, each report as {@link EvalReport#toJson}). Immutable.
 *
 * @param start     the weights the fit started from (the configured ones)
 * @param fittedOnA the weights fitted on half A (the result)
 * @param fittedOnB the weights fitted on half B (the swap)
 */
public record FitReport(DevSplit split, Map<String, Double> start, Map<String, Double> fittedOnA,
                        Map<String, Double> fittedOnB, EvalReport halfA, EvalReport halfB) {
    /** The run with the starting weights. */
    public static final String START = "start";
    /** The run with the starting weights and every source voting (none expanding). */
    public static final String ALL_VOTE = "start-vote";
    /** The run with the weights fitted on half A. */
    public static final String FIT_A = "fit-A";
    /** The run with the weights fitted on half B. */
    public static final String FIT_B = "fit-B";
    /** The {@code [recall.weights]} keys, in the order the snippet lists them. */
    static final List<String> KEYS = List.of("lexical", "vector", "instant", "graph", "llm");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FitReport {
        start = Map.copyOf(start);
        fittedOnA = Map.copyOf(fittedOnA);
        fittedOnB = Map.copyOf(fittedOnB);
    }

    /**
     * Whether the fit holds out of sample: the weights fitted on each half give a higher recall@10 (categories
     * 1–4) on the other half than the starting weights. Only then should they become the defaults.
     */
    public boolean held() {
        return recall10(halfB, FIT_A) > recall10(halfB, START) && recall10(halfA, FIT_B) > recall10(halfA, START);
    }

    private static double recall10(EvalReport r, String run) {
        return r.run(run).overall().recall10();
    }

    /** Both halves' tables, the verdict and the snippet. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("half A (fitted on it: fit-A): ").append(DevSplit.ids(split.a())).append('\n');
        sb.append(halfA.table()).append('\n');
        sb.append("half B (held out for fit-A): ").append(DevSplit.ids(split.b())).append('\n');
        sb.append(halfB.table()).append('\n');
        sb.append(String.format(Locale.ROOT, "recall@10 (1-4) held out: fit-A on B %.3f (start %.3f), fit-B on A %.3f (start %.3f): %s%n",
                recall10(halfB, FIT_A), recall10(halfB, START), recall10(halfA, FIT_B), recall10(halfA, START),
                held() ? "the fit holds" : "the fit does not hold; keep the starting weights"));
        sb.append("weights start ").append(format(start)).append('\n');
        sb.append("weights fit-B ").append(format(fittedOnB)).append('\n');
        sb.append('\n').append(snippet());
        return sb.toString();
    }

    /** The weights fitted on half A as a {@code [recall.weights]} section. */
    public String snippet() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "# fitted by `engram eval --fit` on %s; held-out recall@10 (1-4) on %s: %.3f (start %.3f)%n",
                DevSplit.ids(split.a()), DevSplit.ids(split.b()), recall10(halfB, FIT_A), recall10(halfB, START)));
        sb.append("[recall.weights]\n");
        for (String key : KEYS) {
            sb.append(String.format(Locale.ROOT, "%s = %s%n", key, number(fittedOnA.getOrDefault(key, start.getOrDefault(key, 0.0)))));
        }
        return sb.toString();
    }

    private static String format(Map<String, Double> w) {
        StringBuilder sb = new StringBuilder();
        for (String key : KEYS) if (w.containsKey(key)) sb.append(key).append('=').append(number(w.get(key))).append(' ');
        return sb.toString().strip();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0$", "");
    }

    public void writeJson(Path file) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("split", Map.of("a", ids(split.a()), "b", ids(split.b())));
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put(START, new TreeMap<>(start));
        weights.put(FIT_A, new TreeMap<>(fittedOnA));
        weights.put(FIT_B, new TreeMap<>(fittedOnB));
        doc.put("weights", weights);
        doc.put("held", held());
        doc.put("half_a", halfA.document());
        doc.put("half_b", halfB.document());
        try {
            Files.writeString(file, JSON.writeValueAsString(doc) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the fit report", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static List<String> ids(List<LocomoSample> half) {
        return half.stream().map(LocomoSample::sampleId).toList();
    }
}
