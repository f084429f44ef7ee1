package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.store.GraphRepository;
import dev.engram.store.sqlite.SqliteStorage;

/** Canonical edges, strengths that survive a restart (D-H1…D-H3), incremental writes, no duplicate items. */
class GraphPersistenceTest {
    @TempDir
    Path dir;
    GraphHarness h;

    @BeforeEach
    void open() {
        h = new GraphHarness(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private long node(String concept) {
        return h.graph.snapshot().node(concept).orElseThrow().id();
    }

    @Test
    void edge_strengths_and_times_survive_a_restart() {
        h.graph.remember("c1", List.of("杭州", "西湖"), "小林下周去杭州西湖", List.of(1L), GraphHarness.T0);
        Instant created = h.clock.instant();
        for (int i = 0; i < 4; i++) {
            h.clock.advance(Duration.ofMinutes(1));
            h.graph.remember("c1", List.of("西湖", "杭州"), "第" + i + "次聊到西湖", List.of(2L + i), h.clock.instant());
        }
        GraphEdge before = h.graph.snapshot().edge(node("杭州"), node("西湖")).orElseThrow();
        assertThat(before.strength()).isEqualTo(5);

        h.restart();

        GraphEdge after = h.graph.snapshot().edge(node("西湖"), node("杭州")).orElseThrow();
        assertThat(after).isEqualTo(before);
        assertThat(after.createdAt()).isEqualTo(created);
        assertThat(after.lastModified()).isEqualTo(h.clock.instant());
    }

    @Test
    void a_similarity_link_never_lowers_a_stronger_edge_nor_resets_its_creation_time() {
        h.graph.remember("c1", List.of("杭州", "西湖"), "小林下周去杭州西湖", List.of(1L), GraphHarness.T0);
        long a = node("杭州");
        long b = node("西湖");
        GraphStore store = h.graph.store();
        for (int i = 0; i < 11; i++) store.write(m -> { m.strengthen(b, a); return null; });
        h.clock.advance(Duration.ofHours(1));

        Boolean changed = store.write(m -> m.linkAtLeast(a, b, 7));

        GraphEdge edge = h.graph.snapshot().edge(a, b).orElseThrow();
        assertThat(changed).isFalse();
        assertThat(edge.strength()).isEqualTo(12);
        assertThat(edge.createdAt()).isEqualTo(GraphHarness.T0);
        h.graph.remember("c1", List.of("猫", "橘子"), "小林的猫叫橘子", List.of(3L), h.clock.instant());
        long cat = node("猫");
        long orange = node("橘子");
        assertThat((Boolean) store.write(m -> m.linkAtLeast(orange, cat, 7))).isTrue();
        assertThat(h.graph.snapshot().edge(cat, orange).orElseThrow().strength()).isEqualTo(7);
        h.restart();
        assertThat(h.graph.snapshot().edge(a, b).orElseThrow().strength()).isEqualTo(12);
        assertThat(h.graph.snapshot().edge(cat, orange).orElseThrow().strength()).isEqualTo(7);
    }

    @Test
    void an_undirected_edge_is_one_row_in_canonical_order() throws SQLException {
        h.graph.remember("c1", List.of("杭州", "西湖"), "一", List.of(1L), GraphHarness.T0);
        h.graph.remember("c1", List.of("西湖", "杭州"), "二", List.of(2L), GraphHarness.T0);

        List<GraphRepository.EdgeRow> rows = h.storage.graph().edges();
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().a()).isLessThan(rows.getFirst().b());
        assertThat(rows.getFirst().strength()).isEqualTo(2);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
             Statement st = c.createStatement()) {
            long a = rows.getFirst().a();
            long b = rows.getFirst().b();
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO graph_edges VALUES (" + b + ", " + a + ", 1, 0, 0)"))
                    .as("reversed pair").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO graph_edges VALUES (" + a + ", " + b + ", 1, 0, 0)"))
                    .as("duplicate pair").isInstanceOf(SQLException.class);
        }
    }

    @Test
    void the_same_memory_twice_is_one_item_with_both_provenances() {
        h.graph.remember("c1", List.of("花生"), "小林对花生过敏。", List.of(5L), GraphHarness.T0);
        h.graph.remember("c1", List.of("花生"), "小林对花生过敏", List.of(3L), GraphHarness.T0.plusSeconds(5));
        h.graph.remember("c2", List.of("花生"), "小林对花生过敏", List.of(9L), GraphHarness.T0);

        List<GraphItem> items = h.graph.snapshot().items(node("花生"));
        assertThat(items).hasSize(2);
        GraphItem c1 = items.stream().filter(i -> i.chatId().equals("c1")).findFirst().orElseThrow();
        assertThat(c1.messageIds()).containsExactly(3L, 5L);
        assertThat(c1.createdAt()).isEqualTo(GraphHarness.T0.plusSeconds(5));
        long nodeId = node("花生");
        assertThat(h.storage.graph().insertItem(nodeId, "c1", "小林对花生过敏。", c1.contentHash(), List.of(), GraphHarness.T0))
                .as("a second writer of the same item gets the stored one").isEqualTo(c1.id());
        assertThat(h.storage.graph().items()).hasSize(2);
    }

    @Test
    void a_write_touches_only_the_rows_it_changes() {
        h.graph.remember("c1", List.of("杭州"), "小林去杭州", List.of(1L), GraphHarness.T0);
        GraphRepository.NodeRow before = h.storage.graph().nodes().getFirst();
        h.clock.advance(Duration.ofHours(2));

        h.graph.remember("c1", List.of("猫"), "小林的猫叫橘子", List.of(2L), h.clock.instant());

        assertThat(h.storage.graph().nodes()).contains(before).hasSize(2);
        assertThat(h.graph.snapshot().node("杭州").orElseThrow().lastModified()).isEqualTo(GraphHarness.T0);
    }

    @Test
    void the_loaded_graph_equals_the_graph_that_was_written() throws InterruptedException {
        h.history("c1", GraphHarness.T0.minus(Duration.ofHours(40)), GraphHarness.T0, Duration.ofMinutes(2));
        h.graph.build(BuildProgressListener.NONE);
        h.graph.remember("c1", List.of("杭州", "旅游"), "小林要去杭州旅游", List.of(1L), h.clock.instant());
        h.clock.advance(Duration.ofDays(3));
        h.graph.forget();
        h.graph.consolidate();
        GraphSnapshot live = h.graph.snapshot();
        live.verify();
        assertThat(live.nodeCount()).isPositive();

        h.restart();

        GraphSnapshot loaded = h.graph.snapshot();
        loaded.verify();
        assertThat(sorted(loaded.nodes())).isEqualTo(sorted(live.nodes()));
        assertThat(loaded.edges()).containsExactlyInAnyOrderElementsOf(live.edges());
        for (GraphNode n : live.nodes()) assertThat(loaded.items(n.id())).containsExactlyInAnyOrderElementsOf(live.items(n.id()));
        assertThat(h.graph.status().lastBuild()).isNotNull();
        assertThat(h.graph.status().lastForget()).isNotNull();
        assertThat(h.graph.status().lastConsolidate()).isNotNull();
    }

    private static List<GraphNode> sorted(List<GraphNode> nodes) {
        return nodes.stream().sorted(Comparator.comparingLong(GraphNode::id)).toList();
    }
}
