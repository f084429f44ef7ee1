package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.memory.Candidate;

/** Activation recall: similarity matching, spreading over weak edges, chat filtering, deadlines. */
class GraphRecallTest {
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;
    GraphHarness h;

    @BeforeEach
    void open() {
        h = new GraphHarness(dir);
        // c1: 杭州 —1— 西湖 —1— 断桥 (each link seen once: strength 1)
        h.graph.remember("c1", List.of("杭州", "西湖"), "小林下周去杭州看西湖", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("西湖", "断桥"), "断桥在湖的北边，雪景最美", List.of(2L), GraphHarness.T0);
        h.graph.remember("c1", List.of("花生"), "小林对花生过敏", List.of(3L), GraphHarness.T0);
        // c2 shares a concept but its items must never show up in c1
        h.graph.remember("c2", List.of("杭州"), "小王上个月刚从杭州回来", List.of(9L), GraphHarness.T0);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private List<Candidate> search(String chat, String query) {
        return h.graph.source().search(chat, query, 10, FAR);
    }

    @Test
    void activation_travels_over_strength_one_edges_to_reach_two_hops() {
        List<Candidate> found = search("c1", "杭州");

        assertThat(found).extracting(Candidate::text).contains("小林下周去杭州看西湖", "断桥在湖的北边，雪景最美");
        assertThat(found.getFirst().text()).isEqualTo("小林下周去杭州看西湖");
        assertThat(found).extracting(Candidate::text).doesNotContain("小林对花生过敏");
    }

    @Test
    void keywords_match_concepts_by_similarity_not_only_by_name() {
        h.graph.remember("c1", List.of("杭州旅游攻略"), "小林收藏了一份杭州旅游攻略", List.of(4L), GraphHarness.T0);

        List<Candidate> found = search("c1", "有没有推荐的旅游攻略");

        assertThat(found).extracting(Candidate::text).contains("小林收藏了一份杭州旅游攻略");
    }

    @Test
    void only_items_of_the_asking_chat_are_returned_with_their_provenance() {
        List<Candidate> c1 = search("c1", "杭州");
        List<Candidate> c2 = search("c2", "杭州");

        assertThat(c1).noneMatch(c -> c.text().contains("小王"));
        assertThat(c2).extracting(Candidate::text).containsExactly("小王上个月刚从杭州回来");
        assertThat(c2.getFirst().messageIds()).containsExactly(9L);
        assertThat(c2.getFirst().key()).startsWith("g:");
        assertThat(search("c3", "杭州")).isEmpty();
    }

    @Test
    void a_passed_deadline_or_an_unmatched_query_returns_nothing() {
        assertThat(h.graph.source().search("c1", "杭州", 10, GraphHarness.T0.minusSeconds(1))).isEmpty();
        assertThat(search("c1", "量子计算机")).isEmpty();
        assertThat(search("c1", "  ")).isEmpty();
        assertThat(h.graph.source().name()).isEqualTo("graph");
    }

    @Test
    void stronger_links_carry_more_activation() {
        h.graph.remember("c1", List.of("杭州", "龙井茶"), "小林喜欢喝龙井茶", List.of(5L), GraphHarness.T0);
        for (int i = 0; i < 5; i++) {
            h.graph.remember("c1", List.of("杭州", "龙井茶"), "第" + i + "次提到龙井茶", List.of(10L + i), GraphHarness.T0);
        }
        ActivationSearch search = new ActivationSearch(h.settings);
        GraphSnapshot g = h.graph.snapshot();

        ActivationSearch.Activation a = search.activate(g, "杭州");

        double tea = a.levels().get(g.node("龙井茶").orElseThrow().id());
        double lake = a.levels().get(g.node("西湖").orElseThrow().id());
        assertThat(tea).isGreaterThan(lake);
        assertThat(lake).isEqualTo(0.5); // 1.0 × 1/(1+1) over a strength-1 edge
    }

    @Test
    void the_activated_subgraph_shows_the_chats_concepts_links_and_items() {
        ActivatedSubgraph sub = h.graph.activated("c1", "杭州", 10);

        assertThat(sub.keywords()).contains("杭州");
        assertThat(sub.nodes()).extracting(ActivatedSubgraph.Node::concept).containsExactly("杭州", "西湖", "断桥");
        assertThat(sub.nodes().getFirst().seed()).isTrue();
        assertThat(sub.edges()).hasSize(2).allMatch(e -> e.a() < e.b() && e.strength() == 1);
        assertThat(sub.items()).extracting(ActivatedSubgraph.Item::text).doesNotContain("小王上个月刚从杭州回来");
        ActivatedSubgraph listing = h.graph.activated("c2", "", 10);
        assertThat(listing.nodes()).extracting(ActivatedSubgraph.Node::concept).containsExactly("杭州");
        assertThat(listing.items()).hasSize(1);
        assertThat(listing.edges()).isEmpty();
    }
}
