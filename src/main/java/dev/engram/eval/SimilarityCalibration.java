package dev.engram.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Measures how an embedding model's cosine similarities of queries and texts are distributed
 * ({@code engram eval --calibrate}), so each model's vector threshold can be set at the same point of its own
 * distribution. Over a LoCoMo-format file: every question with evidence (categories 1–4) is paired with every
 * turn of the other conversations of its language ({@link DevSplit#language}; unrelated pairs) and with its
 * evidence turns (related pairs). Pure apart from the embedder; deterministic.
 */
public final class SimilarityCalibration {
    /**
     * The calibrated threshold of a model is this percentile of its unrelated similarities in its own language:
     * a hit above it is more similar to the query than 99 % of the turns of other conversations.
     */
    public static final double THRESHOLD_PERCENTILE = 99;
    /** The unrelated-pair percentiles reported. */
    public static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};

    private SimilarityCalibration() {
    }

    /**
     * The distributions of one model.
     *
     * @param unrelated the sorted cosines of the unrelated pairs
     * @param related   the sorted cosines of the question–evidence pairs
     */
    public record Distribution(String model, double[] unrelated, double[] related) {
        public Distribution {
            Objects.requireNonNull(model, "model");
            unrelated = unrelated.clone();
            related = related.clone();
            Arrays.sort(unrelated);
            Arrays.sort(related);
        }

        /** The {@code p}-th percentile (0–100, nearest rank) of the unrelated similarities. */
        public double unrelatedPercentile(double p) {
            return percentile(unrelated, p);
        }

        /** The calibrated threshold: the {@value #THRESHOLD_PERCENTILE}th unrelated percentile, to two decimals. */
        public double threshold() {
            return Math.round(unrelatedPercentile(THRESHOLD_PERCENTILE) * 100) / 100.0;
        }

        /** The share (0–100) of unrelated similarities below {@code threshold}. */
        public double unrelatedRank(double threshold) {
            return 100.0 * below(unrelated, threshold) / unrelated.length;
        }

        /** The share (0–1) of question–evidence pairs at or above {@code threshold} (what a threshold keeps). */
        public double relatedKept(double threshold) {
            return 1.0 - (double) below(related, threshold) / related.length;
        }

        /** One line: the unrelated percentiles, the related median. */
        public String line() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-21s unrelated pairs %d:", model,
                    unrelated.length));
            for (double p : PERCENTILES) sb.append(String.format(Locale.ROOT, " p%s %.3f", number(p), unrelatedPercentile(p)));
            sb.append(String.format(Locale.ROOT, "; question-evidence pairs %d: median %.3f", related.length,
                    percentile(related, 50)));
            return sb.toString();
        }

        private static String number(double p) {
            return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
        }

        private static int below(double[] sorted, double threshold) {
            int i = Arrays.binarySearch(sorted, threshold);
            if (i < 0) return -i - 1;
            while (i > 0 && sorted[i - 1] == threshold) i--;
            return i;
        }

        private static double percentile(double[] sorted, double p) {
            if (sorted.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
        }
    }

    /**
     * Measures the distributions of one model.
     *
     * @param embed embeds texts in order (L2-normalised vectors)
     */
    public static Distribution measure(String model, Function<List<String>, List<float[]>> embed,
                                       List<LocomoSample> samples) {
        return measure(model, embed, samples, null);
    }

    /**
     * The distributions of one model over the conversations of one language ({@code zh}, {@code en};
     * {@code null} = all).
     */
    public static Distribution measure(String model, Function<List<String>, List<float[]>> embed,
                                       List<LocomoSample> all, String language) {
        List<LocomoSample> samples = all.stream()
                .filter(s -> language == null || DevSplit.language(s).equals(language)).toList();
        List<String> languages = samples.stream().map(DevSplit::language).toList();
        List<List<float[]>> turnVectors = new ArrayList<>();
        List<List<String>> turnIds = new ArrayList<>();
        for (LocomoSample s : samples) {
            List<String> texts = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (LocomoSample.Session session : s.sessions()) {
                for (LocomoSample.Turn t : session.turns()) {
                    texts.add(t.text()); // the index embeds the bare text, without the speaker
                    ids.add(t.diaId());
                }
            }
            turnVectors.add(embed.apply(texts));
            turnIds.add(ids);
        }
        List<Double> unrelated = new ArrayList<>();
        List<Double> related = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            List<LocomoSample.Question> questions = samples.get(i).questions().stream()
                    .filter(q -> !q.evidence().isEmpty() && q.category() >= 1 && q.category() <= 4).toList();
            List<float[]> qv = embed.apply(questions.stream().map(LocomoSample.Question::question).toList());
            Map<String, Integer> index = new HashMap<>();
            for (int t = 0; t < turnIds.get(i).size(); t++) index.put(turnIds.get(i).get(t), t);
            for (int q = 0; q < questions.size(); q++) {
                for (String e : questions.get(q).evidence()) {
                    Integer t = index.get(e);
                    if (t != null) related.add(dot(qv.get(q), turnVectors.get(i).get(t)));
                }
                for (int j = 0; j < samples.size(); j++) {
                    if (j == i || !languages.get(j).equals(languages.get(i))) continue;
                    for (float[] turn : turnVectors.get(j)) unrelated.add(dot(qv.get(q), turn));
                }
            }
        }
        if (unrelated.isEmpty()) {
            throw new IllegalArgumentException("calibration needs two conversations of one language");
        }
        return new Distribution(language == null ? model : model + " " + language, unrelated.stream().mapToDouble(Double::doubleValue).toArray(),
                related.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
