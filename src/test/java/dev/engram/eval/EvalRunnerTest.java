package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EvalRunnerTest {
    private static final String SAMPLE = """
            [{"sample_id": "tiny", "conversation": {"speaker_a": "Ann", "speaker_b": "Bo",
                "session_1_date_time": "9:00 am on 1 March, 2025",
                "session_1": [{"speaker": "Ann", "dia_id": "D1:1", "text": "My cat is called Tofu"},
                              {"speaker": "Bo", "dia_id": "D1:2", "text": "Cute! I have a parrot"}],
                "session_2_date_time": "9:00 am on 8 March, 2025",
                "session_2": [{"speaker": "Ann", "dia_id": "D2:1", "text": "Tofu knocked over my coffee"}]},
              "qa": [{"question": "What is the name of the cat?", "answer": "Tofu", "evidence": ["D1:1"], "category": 4},
                     {"question": "What did the cat do with coffee?", "answer": "x", "evidence": ["D1:1", "D2:1"], "category": 1},
                     {"question": "What bird does Ann have?", "evidence": ["D1:2"], "category": 5},
                     {"question": "No evidence", "answer": "x", "evidence": [], "category": 2}]}]
            """;

    /** An in-memory target: recalls turns sharing a word with the question; vector = nothing. */
    static final class WordTarget implements EvalTarget {
        record Ingested(String chatId, String speaker, String text, Instant at, String id) {
        }

        final List<Ingested> ingested = new ArrayList<>();
        boolean idle;

        @Override
        public void ingest(String chatId, String speaker, String text, Instant at, String externalId) {
            ingested.add(new Ingested(chatId, speaker, text, at, externalId));
        }

        @Override
        public void awaitIdle(Duration max) {
            idle = true;
        }

        @Override
        public Fusable answers(String chatId, String query, int k) {
            return new FixedAnswers(recall(chatId, query, Set.of(), k));
        }

        @Override
                public List<RecalledUnit> recall(String chatId, String query, Set<String> sources, int k) {
            if (sources.contains("vector")) return List.of();
            Set<String> words = new HashSet<>(List.of(query.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", "").split(" ")));
            return ingested.stream().filter(i -> i.chatId().equals(chatId))
                    .map(i -> new RecalledUnit(Set.of(i.id()), i.text(), "lexical",
                            List.of(i.text().toLowerCase(Locale.ROOT).split(" ")).stream().filter(words::contains).count()))
                    .filter(u -> u.score() > 0)
                    .sorted(Comparator.comparingDouble(RecalledUnit::score).reversed())
                    .limit(k).toList();
        }

        @Override
        public Optional<Visibility> visibility() {
            return Optional.of(new Visibility(3.0, 9.5));
        }
    }

    private static List<LocomoSample> sample() throws Exception {
        return LocomoLoader.read(new ByteArrayInputStream(SAMPLE.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ingests_every_turn_in_order_at_its_session_time_then_waits_for_the_target() throws Exception {
        WordTarget target = new WordTarget();

        new EvalRunner(target, EvalOptions.defaults().withProgress(false)).run(sample());

        assertThat(target.idle).isTrue();
        assertThat(target.ingested).extracting(WordTarget.Ingested::id).containsExactly("D1:1", "D1:2", "D2:1");
        assertThat(target.ingested).extracting(WordTarget.Ingested::chatId).containsOnly("eval-tiny");
        assertThat(target.ingested).extracting(WordTarget.Ingested::at).containsExactly(
                Instant.parse("2025-03-01T09:00:00Z"), Instant.parse("2025-03-01T09:00:30Z"),
                Instant.parse("2025-03-08T09:00:00Z"));
        assertThat(target.ingested.getFirst().speaker()).isEqualTo("Ann");
    }

    @Test
    void scores_each_run_and_writes_the_documented_json(@TempDir Path dir) throws Exception {
        EvalOptions options = EvalOptions.defaults().withProgress(false).withRuns(SourceSet.parse("lexical,vector,fused"));

        EvalReport report = new EvalRunner(new WordTarget(), options).run(sample());

        RunReport fused = report.run("fused");
        assertThat(fused.questions()).isEqualTo(3); // the question without evidence is not scored
        assertThat(fused.overall().questions()).isEqualTo(2);
        assertThat(fused.overall().recall10()).isEqualTo(1.0);
        assertThat(fused.byCategory()).containsOnlyKeys(1, 4, 5);
        assertThat(fused.overall().containedQuestions()).isEqualTo(2);
        assertThat(fused.overall().containment()).isEqualTo(0.5); // "Tofu" is in the block, "x" is not
        assertThat(fused.byCategory().get(5).containedQuestions()).isZero(); // adversarial: no gold answer
        assertThat(report.run("vector").overall().recall10()).isZero();
        assertThat(report.table()).contains("fused (1-4)", "cat 5", "time-to-visibility p50 3.0 ms");

        Path out = dir.resolve("eval.json");
        report.writeJson(out);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.get("runs").fieldNames()).toIterable().containsExactly("lexical", "vector", "fused");
        JsonNode run = json.get("runs").get("fused");
        assertThat(run.fieldNames()).toIterable().containsExactly("overall", "by_category", "latency_ms", "tokens_mean",
                "visibility_ms", "containment_threshold", "containment_budget_tokens", "questions");
        assertThat(run.get("overall").fieldNames()).toIterable().containsExactly("recall@5", "recall@10", "recall@20",
                "hit@10", "all@10", "recall@10_turns", "recall@256t", "recall@512t", "recall@1500t", "containment",
                "containment_questions");
        assertThat(run.get("containment_threshold").asDouble()).isEqualTo(AnswerContainment.THRESHOLD);
        assertThat(run.get("by_category").fieldNames()).toIterable().containsExactly("1", "4", "5");
        assertThat(run.get("latency_ms").fieldNames()).toIterable().containsExactly("p50", "p95", "p99");
        assertThat(run.get("visibility_ms").get("p95").asDouble()).isEqualTo(9.5);
        assertThat(run.get("overall").get("recall@10").asDouble()).isEqualTo(1.0);
    }

    @Test
    void a_single_run_is_written_as_that_runs_object() throws Exception {
        EvalReport report = new EvalRunner(new WordTarget(), EvalOptions.defaults().withProgress(false)).run(sample());

        JsonNode json = new ObjectMapper().readTree(report.toJson());

        assertThat(json.has("runs")).isFalse();
        assertThat(json.get("questions").asInt()).isEqualTo(3);
    }

    @Test
    void source_sets_parse_from_the_command_line() {
        assertThat(SourceSet.parse("lexical, vector+instant ,fused")).extracting(SourceSet::name)
                .containsExactly("lexical", "vector+instant", "fused");
        assertThat(SourceSet.parse("vector+instant").getFirst().sources()).containsExactlyInAnyOrder("vector", "instant");
        assertThat(SourceSet.parse("").getFirst()).isEqualTo(SourceSet.fused());
        assertThat(SourceSet.parse("all").getFirst().sources()).isEmpty();
        assertThat(EvalOptions.defaults().zone()).isEqualTo(ZoneOffset.UTC);
    }
}
