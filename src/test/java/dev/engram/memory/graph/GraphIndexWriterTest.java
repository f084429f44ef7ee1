package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;

/** The store path: instant memories become graph items under their keywords, idempotently. */
class GraphIndexWriterTest {
    @TempDir
    Path dir;

    @Test
    void an_instant_memory_becomes_an_item_of_each_keyword_and_links_them_once() throws Exception {
        try (GraphHarness h = new GraphHarness(dir)) {
            StoredMemory m = new StoredMemory(1, "c1", "小林下周去杭州看西湖", List.of("杭州", "西湖", "聊天记录"),
                    List.of(4L, 5L), GraphHarness.T0);
            GraphIndexWriter writer = h.graph.indexWriter();

            writer.indexMemory(m);
            writer.indexMemory(m); // a replayed store task changes nothing

            GraphSnapshot g = h.graph.snapshot();
            assertThat(g.nodes()).extracting(GraphNode::concept).containsExactlyInAnyOrder("杭州", "西湖");
            assertThat(g.items("c1")).hasSize(2).allMatch(i -> i.messageIds().equals(List.of(4L, 5L)));
            assertThat(g.edges()).singleElement().satisfies(e -> assertThat(e.strength()).isEqualTo(1));
            writer.indexMessages(List.of());
            assertThat(h.graph.snapshot().version()).isEqualTo(g.version());
        }
    }

    @Test
    void a_memory_without_keywords_uses_the_keywords_of_its_text() throws Exception {
        try (GraphHarness h = new GraphHarness(dir)) {
            h.graph.indexWriter().indexMemory(new StoredMemory(1, "c1", "小林对花生过敏", List.of(), List.of(1L),
                    GraphHarness.T0));

            assertThat(h.graph.snapshot().node("花生")).isPresent();
        }
    }

    @Test
    void a_superseding_memory_takes_the_superseded_fact_out_of_the_graph() throws Exception {
        try (GraphHarness h = new GraphHarness(dir)) {
            StoredMemory one = h.storage.memories().insert(new MemoryRepository.NewMemory("c1", "小林最喜欢的数字是 1",
                    List.of("数字"), List.of(), GraphHarness.T0, "h1", "s1", Set.of("数字")));
            StoredMemory two = h.storage.memories().insert(new MemoryRepository.NewMemory("c1", "小林最喜欢的数字是 2",
                    List.of("数字"), List.of(), GraphHarness.T0.plusSeconds(1), "h2", "s2", Set.of("数字")), List.of(one.id()));
            GraphIndexWriter writer = h.graph.indexWriter();

            writer.indexMemory(one);
            writer.indexMemory(two);

            assertThat(h.graph.snapshot().items("c1")).extracting(GraphItem::text).containsExactly("小林最喜欢的数字是 2");
        }
    }
}
