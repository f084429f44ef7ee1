package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FusionFitTest {
    /**
     * Two sources over the ingested turns: {@code lexical} ranks the turns sharing a word with the question,
     * {@code noise} returns the chat's first 20 turns whatever is asked. Fusion is weighted RRF (k = 20).
     */
    static final class TwoSourceTarget implements EvalTarget {
        private final Map<String, List<String[]>> turns = new LinkedHashMap<>();

        @Override
        public void ingest(String chatId, String speaker, String text, Instant at, String externalId) {
            turns.computeIfAbsent(chatId, c -> new ArrayList<>()).add(new String[] {externalId, text});
        }

        @Override
        public void awaitIdle(Duration max) {
        }

        @Override
        public List<RecalledUnit> recall(String chatId, String query, Set<String> sources, int k) {
            return answers(chatId, query, k).fuse(Map.of("lexical", 1.0, "noise", 1.0));
        }

        @Override
        public Fusable answers(String chatId, String query, int k) {
            List<String[]> all = turns.get(chatId);
            Set<String> words = Set.of(query.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", "").split(" "));
            List<String[]> lexical = all.stream().filter(t -> words.stream().anyMatch(w -> w.length() > 3
                    && t[1].toLowerCase(Locale.ROOT).contains(w))).toList();
            List<String[]> noise = all.subList(0, Math.min(20, all.size()));
            return new Fusable() {
                @Override
                public Set<String> sources() {
                    return Set.of("lexical", "noise");
                }

                @Override
                public List<RecalledUnit> fuse(Map<String, Double> weights, Set<String> expanding) {
                    return fuse(weights); // neither source expands
                }

                @Override
                public List<RecalledUnit> fuse(Map<String, Double> weights) {
                    Map<String, Double> score = new HashMap<>();
                    Map<String, String> text = new HashMap<>();
                    add(score, text, lexical, weights.getOrDefault("lexical", 0.0));
                    add(score, text, noise, weights.getOrDefault("noise", 0.0));
                    return score.entrySet().stream()
                            .sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                                    .thenComparing(Map.Entry.comparingByKey()))
                            .limit(k).map(e -> new RecalledUnit(Set.of(e.getKey()), text.get(e.getKey()), "x", e.getValue()))
                            .toList();
                }
            };
        }

        private static void add(Map<String, Double> score, Map<String, String> text, List<String[]> ranked, double w) {
            if (w <= 0) return;
            for (int r = 0; r < ranked.size(); r++) {
                score.merge(ranked.get(r)[0], w / (20 + r + 1), Double::sum);
                text.put(ranked.get(r)[0], ranked.get(r)[1]);
            }
        }
    }

    /** A conversation of 30 turns; each question asks about one of the last ten, which noise never returns. */
    private static LocomoSample conversation(String id, String topic) {
        List<LocomoSample.Turn> turns = new ArrayList<>();
        List<LocomoSample.Question> questions = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String word = topic + "thing" + (char) ('a' + i % 26) + i;
            turns.add(new LocomoSample.Turn("A", "D1:" + i, "We talked about the " + word + " today"));
            if (i > 20) questions.add(new LocomoSample.Question("Which " + word + "?", word, List.of("D1:" + i), 4));
        }
        return new LocomoSample(id, "A", "B", List.of(new LocomoSample.Session(1, LocalDateTime.of(2025, 3, 1, 9, 0),
                turns)), questions);
    }

    private static final List<LocomoSample> SAMPLES = List.of(conversation("c1", "red"), conversation("c2", "blue"),
            conversation("c3", "green"), conversation("c4", "gold"));
    private static final Map<String, Double> START = Map.of("lexical", 0.3, "noise", 1.0);

    @Test
    void the_fit_raises_the_source_that_finds_the_evidence_and_it_holds_on_the_other_half(@TempDir Path dir)
            throws Exception {
        FitReport report = new FitRunner(new TwoSourceTarget(), EvalOptions.defaults().withProgress(false))
                .run(SAMPLES, START);

        assertThat(report.split().a()).extracting(LocomoSample::sampleId).containsExactly("c1", "c3");
        assertThat(report.fittedOnA().get("noise")).isEqualTo(1.0); // the anchor: the heaviest at the start
        assertThat(report.fittedOnA().get("lexical")).isGreaterThan(START.get("lexical"));
        assertThat(report.halfB().run(FitReport.START).overall().recall10()).isZero();
        assertThat(report.halfB().run(FitReport.FIT_A).overall().recall10()).isEqualTo(1.0);
        assertThat(report.halfB().run("lexical").overall().recall10()).isEqualTo(1.0);
        assertThat(report.held()).isTrue();
        assertThat(report.snippet()).contains("[recall.weights]", "lexical = " + report.fittedOnA().get("lexical"));
        assertThat(report.table()).contains("half A", "half B", "the fit holds");

        Path json = dir.resolve("fit.json");
        report.writeJson(json);
        JsonNode doc = new ObjectMapper().readTree(Files.readString(json));
        assertThat(doc.at("/split/b").toString()).isEqualTo("[\"c2\",\"c4\"]");
        assertThat(doc.at("/half_b/runs/fit-A/overall/recall@10").asDouble()).isEqualTo(1.0);
        assertThat(doc.at("/held").asBoolean()).isTrue();
    }

    @Test
    void weights_that_already_do_best_are_kept() throws Exception {
        TwoSourceTarget target = new TwoSourceTarget();
        new EvalRunner(target, EvalOptions.defaults().withProgress(false)).ingest(SAMPLES);
        List<FusionFit.Asked> asked = new ArrayList<>();
        for (LocomoSample.Question q : SAMPLES.getFirst().questions()) {
            asked.add(new FusionFit.Asked(q.category(), q.evidence(), q.answer(), target.answers("eval-c1", q.question(), 20), 0));
        }
        Map<String, Double> good = Map.of("lexical", 1.0, "noise", 0.3);

        assertThat(FusionFit.fit(asked, good)).isEqualTo(good);
        assertThat(FusionFit.objective(asked, good)).isEqualTo(1.0);
        assertThat(FusionFit.objective(asked, START)).isZero();
    }
}
