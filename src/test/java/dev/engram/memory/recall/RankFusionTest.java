package dev.engram.memory.recall;

import static dev.engram.memory.recall.TestSources.c;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.engram.memory.Candidate;
import dev.engram.memory.recall.RankFusion.Fused;

class RankFusionTest {
    private static Map<String, List<Candidate>> sources(Object... nameAndLists) {
        Map<String, List<Candidate>> out = new LinkedHashMap<>();
        for (int i = 0; i < nameAndLists.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Candidate> list = (List<Candidate>) nameAndLists[i + 1];
            out.put((String) nameAndLists[i], list);
        }
        return out;
    }

    private static List<Fused> fuse(Map<String, List<Candidate>> bySource, Map<String, Double> weights, Set<Long> exclude) {
        return RankFusion.fuse(bySource, s -> weights.getOrDefault(s, 1.0), 60, exclude, 0.9);
    }

    @Test
    void reciprocal_rank_fusion_rewards_agreement_between_sources() {
        var fused = fuse(sources(
                "a", List.of(c("x", "apples"), c("y", "bananas"), c("z", "cherries")),
                "b", List.of(c("y", "bananas"), c("w", "dates"))), Map.of(), Set.of());

        assertThat(fused).extracting(Fused::key).containsExactly("y", "x", "w", "z");
        assertThat(fused.getFirst().score()).isCloseTo(1.0 / 62 + 1.0 / 61, within(1e-12));
    }

    @Test
    void weights_scale_a_sources_votes_and_zero_mutes_it() {
        var bySource = sources("a", List.of(c("x", "apples")), "b", List.of(c("y", "bananas")));

        assertThat(fuse(bySource, Map.of("a", 1.0, "b", 3.0), Set.of())).extracting(Fused::key).containsExactly("y", "x");
        assertThat(fuse(bySource, Map.of("a", 3.0, "b", 1.0), Set.of())).extracting(Fused::key).containsExactly("x", "y");
        assertThat(fuse(bySource, Map.of("b", 0.0), Set.of())).extracting(Fused::key).containsExactly("x");
    }

    @Test
    void the_same_key_from_several_sources_is_one_memory_credited_to_its_strongest_source() {
        var fused = fuse(sources(
                "lexical", List.of(c("q", "other"), c("i:1", "Nadia works nights", 3)),
                "vector", List.of(c("i:1", "Nadia works nights", 4))), Map.of(), Set.of());

        Fused one = fused.stream().filter(f -> f.key().equals("i:1")).findFirst().orElseThrow();
        assertThat(fused).hasSize(2);
        assertThat(one.source()).isEqualTo("vector");
        assertThat(one.messageIds()).containsExactlyInAnyOrder(3L, 4L);
    }

    @Test
    void near_identical_texts_under_different_keys_are_merged() {
        var fused = fuse(sources(
                "lexical", List.of(c("m:1", "我对花生过敏。", 1), c("m:2", "阿哲买了烤箱", 2)),
                "instant", List.of(c("i:9", "我对花生过敏", 1), c("i:8", "我对花生很过敏", 1))), Map.of(), Set.of());

        assertThat(fused).hasSize(3);
        assertThat(fused.getFirst().key()).isIn("m:1", "i:9");
        assertThat(fused.subList(1, 3)).extracting(Fused::key).containsExactly("i:8", "m:2"); // ties: newer, then key
        assertThat(fused.getFirst().score()).isCloseTo(2.0 / 61, within(1e-12));
    }

    @Test
    void the_current_turn_is_never_recalled() {
        var fused = fuse(sources("a", List.of(
                c("m:3", "what I just said", 3),
                c("i:1", "memory of this turn only", 3),
                c("i:2", "memory of this and an earlier turn", 2, 3),
                c("m:4", "an older message", 4))), Map.of(), Set.of(3L));

        assertThat(fused).extracting(Fused::key).containsExactly("i:2", "m:4");
    }

    @Test
    void a_key_repeated_within_one_source_counts_once_at_its_best_rank() {
        var fused = fuse(sources("a", List.of(c("x", "apples"), c("x", "apples"), c("y", "bananas"))), Map.of(), Set.of());

        assertThat(fused).extracting(Fused::key).containsExactly("x", "y");
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 62, within(1e-12));
    }

    @Test
    void a_source_returning_a_message_and_its_near_duplicate_memory_votes_once() {
        var fused = fuse(sources(
                "lexical", List.of(c("m:1", "Nadia works nights at the ward"), c("i:1", "Nadia works nights at the ward.")),
                "vector", List.of(c("other", "something else"))), Map.of(), Set.of());

        Fused merged = fused.stream().filter(f -> f.key().equals("m:1")).findFirst().orElseThrow();
        assertThat(fused).hasSize(2);
        assertThat(merged.score()).as("lexical's better contribution only, not both")
                .isCloseTo(1.0 / 61, within(1e-12));
    }

    @Test
    void an_expanding_source_adds_only_items_linked_to_the_top_hits_of_the_others() {
        Candidate top = new Candidate("m:1", "Ann adopted a dog", 1, List.of(1L), TestSources.AT);
        Candidate second = new Candidate("m:2", "Ann lives in Oslo", 1, List.of(2L), TestSources.AT);
        Candidate linked = new Candidate("g:1", "Ann: dog, Biscuit, park", 1, List.of(1L, 7L), TestSources.AT);
        Candidate unlinked = new Candidate("g:2", "Bo: chess club", 1, List.of(9L), TestSources.AT);
        Map<String, List<Candidate>> bySource = sources("lexical", List.of(top, second), "graph", List.of(unlinked, linked));

        List<Fused> expanded = RankFusion.fuse(bySource, s -> s.equals("graph") ? 0.5 : 1.0, 20, Set.of(), 0.9,
                Set.of("graph"), 1);
        List<Fused> voting = RankFusion.fuse(bySource, s -> 1.0, 20, Set.of(), 0.9);

        assertThat(expanded).extracting(Fused::key).containsExactly("m:1", "m:2", "g:1");
        assertThat(expanded.get(2).score()).isCloseTo(0.5 / 21, within(1e-12)); // rank 1 among the linked ones
        assertThat(voting).extracting(Fused::key).contains("g:2");
        assertThat(RankFusion.fuse(sources("graph", List.of(linked)), s -> 1.0, 20, Set.of(), 0.9, Set.of("graph"), 5))
                .as("nothing to expand from").isEmpty();
    }
}
