package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.model.StoredMemory;

/** Forgetting (D-H7 fixed) and a real consolidation (D-H4 fixed). */
class ForgetConsolidateTest {
    @TempDir
    Path dir;
    GraphHarness h;

    /** Checks every node and edge on each pass, merges at 0.7. */
    private void open() {
        h = new GraphHarness(dir, GraphHarness.defaults().forgetPercentage(1.0).consolidationCheckPercentage(1.0)
                .forgetTime(Duration.ofHours(48)).build(), new OfflineLlmClient());
    }

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private GraphSnapshot g() {
        return h.graph.snapshot();
    }

    @Test
    void forgetting_works_on_a_graph_without_edges_and_marks_the_node_modified() throws Exception {
        open();
        h.graph.remember("c1", List.of("花生"), "小林对花生过敏", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("花生"), "小王喜欢吃花生米", List.of(2L), GraphHarness.T0);
        h.graph.remember("c1", List.of("吉他"), "小林在学吉他", List.of(3L), GraphHarness.T0);
        assertThat(g().edgeCount()).isZero();
        h.clock.advance(Duration.ofHours(49));

        ForgetReport r = h.graph.forget();

        assertThat(r.nodesChecked()).isEqualTo(2);
        assertThat(r.edgesChecked()).isZero();
        assertThat(g().node("吉他")).as("stale with one item: removed").isEmpty();
        GraphNode peanut = g().node("花生").orElseThrow();
        assertThat(g().items(peanut.id())).as("stale with two items: one dropped").hasSize(1);
        assertThat(peanut.lastModified()).isEqualTo(h.clock.instant());

        ForgetReport again = h.graph.forget();

        assertThat(again.itemsForgotten()).as("just modified: not stale any more").isZero();
        assertThat(g().items(peanut.id())).hasSize(1);
        h.restart();
        assertThat(g().node("花生").orElseThrow().lastModified()).isEqualTo(h.clock.instant());
    }

    @Test
    void stale_edges_weaken_by_one_and_disappear_at_zero_while_fresh_ones_stay() throws Exception {
        open();
        h.graph.remember("c1", List.of("杭州", "西湖"), "一", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("杭州", "西湖"), "二", List.of(2L), GraphHarness.T0);   // strength 2
        h.graph.remember("c1", List.of("猫", "橘子"), "小林的猫叫橘子", List.of(3L), GraphHarness.T0); // strength 1
        h.clock.advance(Duration.ofHours(49));
        h.graph.remember("c1", List.of("猫", "橘子"), "橘子最近掉毛", List.of(4L), h.clock.instant()); // fresh, 2
        long hz = g().node("杭州").orElseThrow().id();
        long lake = g().node("西湖").orElseThrow().id();

        ForgetReport r = h.graph.forget();

        assertThat(r.edgesWeakened()).isEqualTo(1);
        GraphEdge weakened = g().edge(hz, lake).orElseThrow();
        assertThat(weakened.strength()).isEqualTo(1);
        assertThat(weakened.lastModified()).isEqualTo(h.clock.instant());
        assertThat(g().edge(g().node("猫").orElseThrow().id(), g().node("橘子").orElseThrow().id()).orElseThrow().strength())
                .isEqualTo(2);
        h.clock.advance(Duration.ofHours(49));
        h.graph.remember("c1", List.of("杭州"), "三", List.of(5L), h.clock.instant()); // keep the node itself fresh
        h.graph.remember("c1", List.of("西湖"), "四", List.of(6L), h.clock.instant());

        h.graph.forget();

        assertThat(g().edge(hz, lake)).isEmpty();
        h.restart();
        assertThat(g().edge(hz, lake)).isEmpty();
        g().verify();
    }

    @Test
    void forgetting_merges_near_duplicate_items_of_a_checked_node() throws Exception {
        open();
        h.graph.remember("c1", List.of("花生"), "小林说：我对花生过敏，千万别放花生。", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("花生"), "小林说：我对花生过敏，千万别放花生", List.of(2L),
                GraphHarness.T0.plusSeconds(1));
        h.graph.remember("c1", List.of("花生"), "小林说：我对花生过敏，千万别放花生米！", List.of(3L), GraphHarness.T0.plusSeconds(2));
        assertThat(g().items(g().node("花生").orElseThrow().id())).as("exact duplicates already merged on write").hasSize(2);

        ForgetReport r = h.graph.forget();

        assertThat(r.itemsMerged()).isEqualTo(1);
        List<GraphItem> items = g().items(g().node("花生").orElseThrow().id());
        assertThat(items).hasSize(1);
        assertThat(items.getFirst().messageIds()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void forgetting_and_merging_skip_pinned_items_but_not_the_rest_of_their_concept() throws Exception {
        open();
        h.graph.remember("c1", List.of("花生"), "小林对花生过敏", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("花生"), "小王喜欢吃花生米", List.of(2L), GraphHarness.T0);
        h.graph.remember("c1", List.of("吉他"), "小林在学吉他", List.of(3L), GraphHarness.T0);
        h.graph.remember("c2", List.of("吉他"), "小林在学吉他", List.of(6L), GraphHarness.T0); // same text, other chat
        PinnedItems pinned = PinnedItems.of(List.of(
                new StoredMemory(10, "c1", "小林对花生过敏", List.of(), List.of(1L), GraphHarness.T0),
                new StoredMemory(11, "c1", "小林在学吉他", List.of(), List.of(3L), GraphHarness.T0),
                new StoredMemory(12, "c1", "小林的猫叫橘子", List.of(), List.of(4L), GraphHarness.T0)));
        long guitarItem = itemIds("吉他").getFirst();
        h.clock.advance(Duration.ofHours(49));
        // fresh near-duplicates: not stale, so only the merge can touch them; unpinned, the longer one would win
        h.graph.remember("c1", List.of("猫"), "小林的猫叫橘子", List.of(4L), h.clock.instant());
        h.graph.remember("c1", List.of("猫"), "小林的猫叫橘子呀", List.of(5L), h.clock.instant());
        assertThat(texts("猫")).hasSize(2);

        ForgetReport r = h.graph.forget(pinned);

        assertThat(texts("花生")).as("the unpinned item of a stale concept goes, the pinned one stays")
                .containsExactly("小林对花生过敏");
        assertThat(g().items(g().node("吉他").orElseThrow().id())).filteredOn(i -> i.chatId().equals("c1"))
                .as("a stale concept with a pinned item stays, item untouched").extracting(GraphItem::id)
                .containsExactly(guitarItem);
        assertThat(r.itemsMerged()).isEqualTo(1);
        assertThat(texts("猫")).as("the pinned shorter near-duplicate survives the merge").containsExactly("小林的猫叫橘子");
        assertThat(r.itemsForgotten()).isPositive();
        h.clock.advance(Duration.ofHours(49));
        h.graph.consolidate(pinned);
        h.graph.forget(pinned);
        assertThat(texts("花生")).containsExactly("小林对花生过敏");
        assertThat(texts("猫")).containsExactly("小林的猫叫橘子");

        h.graph.forget(PinnedItems.NONE);
        h.clock.advance(Duration.ofHours(49));
        h.graph.forget(PinnedItems.NONE);
        assertThat(g().node("花生")).as("unpinned, the same passes forget it").isEmpty();
    }

    private List<String> texts(String concept) {
        return g().items(g().node(concept).orElseThrow().id()).stream().map(GraphItem::text).toList();
    }

    private List<Long> itemIds(String concept) {
        return g().items(g().node(concept).orElseThrow().id()).stream().filter(i -> i.chatId().equals("c1"))
                .map(GraphItem::id).toList();
    }

    @Test
    void consolidation_merges_near_duplicate_concepts_with_their_items_and_links() throws Exception {
        open();
        h.graph.remember("c1", List.of("running shoes", "marathon"), "Mel bought running shoes for the marathon",
                List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("running shoes", "marathon"), "Mel ran the marathon in new shoes", List.of(2L),
                GraphHarness.T0);
        h.graph.remember("c1", List.of("Running Shoe", "trail"), "Mel wants a running shoe for the trail", List.of(3L),
                GraphHarness.T0);
        h.graph.remember("c2", List.of("Running Shoe"), "Mel bought running shoes for the marathon", List.of(7L),
                GraphHarness.T0);
        h.graph.remember("c1", List.of("running club"), "Mel joined a running club", List.of(4L), GraphHarness.T0);
        int nodesBefore = g().nodeCount();

        ConsolidateReport r = h.graph.consolidate();

        assertThat(r.conceptsMerged()).isEqualTo(1);
        assertThat(g().nodeCount()).isEqualTo(nodesBefore - 1);
        GraphNode shoes = g().node("running shoes").orElseThrow();
        assertThat(g().node("Running Shoe")).isEmpty();
        assertThat(g().node("running club")).as("related, not the same").isPresent();
        assertThat(g().items(shoes.id())).extracting(GraphItem::text).containsExactlyInAnyOrder(
                "Mel bought running shoes for the marathon", "Mel ran the marathon in new shoes",
                "Mel wants a running shoe for the trail", "Mel bought running shoes for the marathon");
        assertThat(g().items(shoes.id())).filteredOn(i -> i.chatId().equals("c2")).hasSize(1);
        long marathon = g().node("marathon").orElseThrow().id();
        long trail = g().node("trail").orElseThrow().id();
        assertThat(g().edge(shoes.id(), marathon).orElseThrow().strength()).isEqualTo(2);
        assertThat(g().edge(shoes.id(), trail).orElseThrow().strength()).isEqualTo(1);
        g().verify();
        h.restart();
        g().verify();
        assertThat(g().node("Running Shoe")).isEmpty();
        assertThat(g().edge(shoes.id(), trail)).isPresent();
    }

    @Test
    void consolidation_merges_near_duplicate_items_and_is_not_a_build() throws Exception {
        open();
        h.history("c1", GraphHarness.T0.minus(Duration.ofHours(10)), GraphHarness.T0, Duration.ofMinutes(5));
        h.graph.remember("c1", List.of("西湖"), "小林说下周要去杭州西湖划船", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("西湖"), "小林说下周要去杭州西湖划船啦", List.of(2L), GraphHarness.T0);
        h.graph.remember("c1", List.of("西湖"), "西湖边上有很多好吃的餐厅", List.of(3L), GraphHarness.T0);

        ConsolidateReport r = h.graph.consolidate();

        assertThat(r.itemsMerged()).isEqualTo(1);
        List<GraphItem> items = g().items(g().node("西湖").orElseThrow().id());
        assertThat(items).extracting(GraphItem::text)
                .containsExactlyInAnyOrder("小林说下周要去杭州西湖划船啦", "西湖边上有很多好吃的餐厅");
        assertThat(items).filteredOn(i -> i.text().endsWith("啦")).first()
                .satisfies(i -> assertThat(i.messageIds()).containsExactly(1L, 2L));
        assertThat(h.storage.messages().recent("c1", 500)).allMatch(m -> m.memorizedTimes() == 0);
        assertThat(g().nodeCount()).as("no topics extracted from history").isEqualTo(1);
    }
}
