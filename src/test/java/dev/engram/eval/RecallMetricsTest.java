package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RecallMetricsTest {
    private static RecalledUnit unit(String... ids) {
        return new RecalledUnit(Set.of(ids), "text", "lexical", 1.0);
    }

    /** 20 units; evidence D1:2 at rank 2 (inside a two-id unit), D3:1 at rank 7, D9:9 at rank 15. */
    private static final List<RecalledUnit> UNITS = IntStream.rangeClosed(1, 20).mapToObj(rank -> switch (rank) {
        case 2 -> unit("D1:2", "D2:3");
        case 7 -> unit("D3:1");
        case 15 -> unit("D9:9");
        case 16 -> unit("D1:2");
        default -> unit("X" + rank);
    }).toList();
    private static final List<String> EVIDENCE = List.of("D1:2", "D3:1", "D9:9");

    @Test
    void recall_at_k_is_the_share_of_evidence_in_the_joined_ids_of_the_top_k_units() {
        assertThat(RecallMetrics.recallAt(UNITS, EVIDENCE, 1)).isZero();
        assertThat(RecallMetrics.recallAt(UNITS, EVIDENCE, 5)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RecallMetrics.recallAt(UNITS, EVIDENCE, 10)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RecallMetrics.recallAt(UNITS, EVIDENCE, 20)).isEqualTo(1.0);
        assertThat(RecallMetrics.recallAt(UNITS.subList(0, 3), EVIDENCE, 20)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void an_id_found_in_several_units_or_repeated_in_evidence_counts_once() {
        assertThat(RecallMetrics.recallAt(UNITS, List.of("D1:2", "D1:2"), 20)).isEqualTo(1.0);
        assertThat(RecallMetrics.found(UNITS, EVIDENCE, 20)).isEqualTo(3);
    }

    @Test
    void hit_and_all_at_k() {
        assertThat(RecallMetrics.hitAt(UNITS, EVIDENCE, 1)).isFalse();
        assertThat(RecallMetrics.hitAt(UNITS, EVIDENCE, 2)).isTrue();
        assertThat(RecallMetrics.allAt(UNITS, EVIDENCE, 10)).isFalse();
        assertThat(RecallMetrics.allAt(UNITS, EVIDENCE, 15)).isTrue();
        assertThat(RecallMetrics.allAt(UNITS, List.of(), 15)).isFalse();
        assertThatThrownBy(() -> RecallMetrics.recallAt(UNITS, List.of(), 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_run_averages_categories_one_to_four_overall_and_reports_five_apart() {
        List<QuestionResult> results = List.of(
                QuestionResult.score(1, UNITS, EVIDENCE, 1_000_000),     // r@10 2/3
                QuestionResult.score(4, UNITS, List.of("D1:2"), 2_000_000), // r@10 1
                QuestionResult.score(4, UNITS, List.of("nope"), 3_000_000), // r@10 0
                QuestionResult.score(5, UNITS, List.of("D1:2"), 100_000_000)); // apart

        RunReport run = RunReport.of("lexical", Set.of("lexical"), results, Optional.empty());

        assertThat(run.overall().questions()).isEqualTo(3);
        assertThat(run.overall().recall10()).isCloseTo((2.0 / 3 + 1 + 0) / 3, within(1e-12));
        assertThat(run.overall().hit10()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(run.overall().all10()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(run.byCategory()).containsOnlyKeys(1, 4, 5);
        assertThat(run.byCategory().get(4).recall5()).isCloseTo(0.5, within(1e-12));
        assertThat(run.byCategory().get(5).questions()).isEqualTo(1);
        assertThat(run.questions()).isEqualTo(4);
        assertThat(run.latencyP50()).isEqualTo(2.0);
        assertThat(run.latencyP99()).isEqualTo(100.0);
        assertThat(run.tokensMean()).isGreaterThan(0);
    }

    private static RecalledUnit textUnit(String text, String... ids) {
        return new RecalledUnit(new LinkedHashSet<>(List.of(ids)), text, "graph", 1.0);
    }

    /** A text of {@code n - 2} estimated tokens, so the unit costs exactly {@code n} with its overhead. */
    private static String costing(int n) {
        return "abcd".repeat(n - 2);
    }

    @Test
    void turn_recall_counts_only_the_first_k_distinct_turns_in_rank_order() {
        List<RecalledUnit> units = List.of(
                textUnit("x", "D1:1", "D1:2", "D1:3"),
                textUnit("x", "D1:2", "D2:1"),          // D1:2 again: counted once
                textUnit("x", "D2:2", "D2:3", "D9:9")); // D9:9 is the 7th distinct turn
        List<String> evidence = List.of("D1:3", "D2:1", "D9:9");

        assertThat(RecallMetrics.turnRecallAt(units, evidence, 3)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RecallMetrics.turnRecallAt(units, evidence, 6)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RecallMetrics.turnRecallAt(units, evidence, 7)).isEqualTo(1.0);
        assertThat(RecallMetrics.recallAt(units, evidence, 3)).isEqualTo(1.0); // the generous metric
    }

    @Test
    void one_unit_packing_many_turns_earns_nothing_at_a_budget_it_does_not_fit() {
        String[] turns = IntStream.rangeClosed(1, 30).mapToObj(i -> "D1:" + i).toArray(String[]::new);
        List<RecalledUnit> units = List.of(textUnit(costing(600), turns), textUnit(costing(100), "D2:1"));
        List<String> evidence = List.of("D1:1", "D1:2", "D2:1");

        assertThat(RecallMetrics.recallAt(units, evidence, 10)).isEqualTo(1.0);
        assertThat(RecallMetrics.recallAtTokens(units, evidence, 256)).isZero(); // cut at the first unit
        assertThat(RecallMetrics.recallAtTokens(units, evidence, 512)).isZero();
        assertThat(RecallMetrics.recallAtTokens(units, evidence, 1500)).isEqualTo(1.0);
        assertThat(RecallMetrics.turnRecallAt(units, evidence, 10)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void recall_at_a_token_budget_takes_units_in_rank_order_until_one_would_exceed_it() {
        List<RecalledUnit> units = List.of(textUnit(costing(200), "D1:1"), textUnit(costing(56), "D1:2"),
                textUnit(costing(10), "D1:3"), textUnit(costing(5), "D1:4"));
        List<String> evidence = List.of("D1:1", "D1:2", "D1:3", "D1:4");

        assertThat(RecallMetrics.withinBudget(units, 256)).hasSize(2); // 200 + 56 = 256 fits exactly
        assertThat(RecallMetrics.recallAtTokens(units, evidence, 256)).isEqualTo(0.5);
        assertThat(RecallMetrics.recallAtTokens(units, evidence, 255)).isEqualTo(0.25); // the 56 stops the walk
        assertThat(RecallMetrics.recallAtTokens(units, evidence, 512)).isEqualTo(1.0);
        assertThatThrownBy(() -> RecallMetrics.recallAtTokens(units, List.of(), 512))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containment_is_averaged_over_questions_with_a_gold_answer_only() {
        List<RecalledUnit> units = List.of(textUnit("Caroline went to the support group on 7 May 2023", "D1:1"));
        List<QuestionResult> results = List.of(
                QuestionResult.score(2, units, List.of("D1:1"), "7 May 2023", 1),
                QuestionResult.score(4, units, List.of("D1:1"), "a pottery class", 1),
                QuestionResult.score(4, units, List.of("D1:1"), null, 1));

        Scores s = Scores.mean(results);

        assertThat(s.containedQuestions()).isEqualTo(2);
        assertThat(s.containment()).isEqualTo(0.5);
        assertThat(s.questions()).isEqualTo(3);
    }

    @Test
    void containment_only_reads_the_units_within_its_token_budget() {
        List<RecalledUnit> units = List.of(textUnit(costing(QuestionResult.CONTAINMENT_BUDGET), "D1:1"),
                textUnit("the answer is Paris", "D1:2"));

        QuestionResult r = QuestionResult.score(4, units, List.of("D1:2"), "Paris", 1);

        assertThat(r.hasAnswer()).isTrue();
        assertThat(r.contained()).isFalse();
        assertThat(r.recall10()).isEqualTo(1.0);
    }

    @Test
    void nearest_rank_percentiles() {
        long[] values = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};

        assertThat(Percentiles.of(values, 50)).isEqualTo(5);
        assertThat(Percentiles.of(values, 95)).isEqualTo(10);
        assertThat(Percentiles.of(values, 10)).isEqualTo(1);
        assertThat(Percentiles.of(new long[0], 99)).isZero();
        assertThat(values[0]).isEqualTo(5); // input untouched
    }
}
