package dev.engram.memory.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.model.StoredMemory;
import dev.engram.store.postgres.TestPostgres;

/**
 * Two instances on one real PostgreSQL schema, each with its own index directory: what one writes, supersedes or
 * forgets, the other's recall follows through the change feed (its cache included), out-of-order commits are not
 * skipped, and a restarted instance replays from its durable cursor what it missed while down.
 */
class ChangeFollowerTest {
    private static final Duration VISIBLE = Duration.ofSeconds(10);
    @TempDir
    Path dir;
    TestPostgres pg;
    ClusterNode a;
    ClusterNode b;

    @BeforeEach
    void start() throws Exception {
        pg = TestPostgres.create();
        a = new ClusterNode(pg, "node-a", dir.resolve("a"));
        a.say("c1", "小林", "我对花生过敏，吃东西要特别小心"); // before B exists: B's first load finds it
        b = new ClusterNode(pg, "node-b", dir.resolve("b"));
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) b.close();
        if (a != null) a.close();
        if (pg != null) pg.close();
    }

    @Test
    void what_one_instance_writes_supersedes_and_forgets_the_other_recalls_without_stale_cache_entries() throws Exception {
        assertThat(b.follower.status().start()).isEqualTo("fresh");
        assertThat(b.recall("c1", "花生过敏")).anyMatch(t -> t.contains("花生过敏")); // B's load
        assertThat(b.recall("c1", "上海出差")).noneMatch(t -> t.contains("上海")); // cached on B, complete and empty

        a.say("c1", "小林", "我下周三要去上海出差");
        StoredMemory beijing = a.remember("c1", "小林住在北京朝阳", List.of());
        await().atMost(VISIBLE).until(() -> b.recall("c1", "上海出差").stream().anyMatch(t -> t.contains("上海出差")));
        await().atMost(VISIBLE).until(() -> b.recall("c1", "小林住在").contains("小林住在北京朝阳"));

        StoredMemory shenzhen = a.remember("c1", "小林住在深圳南山", List.of(beijing.id()));
        await().atMost(VISIBLE).until(() -> {
            List<String> got = b.recall("c1", "小林住在");
            return got.contains("小林住在深圳南山") && !got.contains("小林住在北京朝阳");
        });

        a.admin.delete(shenzhen.id()); // forgotten on A: the fact it superseded is current again
        await().atMost(VISIBLE).until(() -> {
            List<String> got = b.recall("c1", "小林住在");
            return !got.contains("小林住在深圳南山") && got.contains("小林住在北京朝阳");
        });
        assertThat(b.recall("c2", "小林住在")).isEmpty(); // chats stay apart

        a.graph.remember("c1", List.of("花生", "过敏"), "小林对花生过敏", List.of(), java.time.Instant.now());
        await().atMost(VISIBLE).until(() -> b.graph.snapshot().itemCount() == 2);

        ChangeFeedStatus s = b.follower.status();
        assertThat(s.state()).isEqualTo("following");
        assertThat(s.applied()).isPositive();
        assertThat(s.indexed()).isGreaterThanOrEqualTo(4);
        assertThat(s.removed()).isGreaterThanOrEqualTo(2); // superseded, then forgotten
        assertThat(s.reused()).isPositive();
        assertThat(s.computed()).isZero(); // every vector came from the embeddings table
        assertThat(s.graphReloads()).isPositive();
        assertThat(s.lagMs()).isNotNegative();
        assertThat(a.follower.status().applied()).isZero(); // A wrote everything itself: all skipped as its own
        assertThat(a.follower.status().skippedOwn()).isPositive();
    }

    @Test
    void a_change_committed_after_a_later_one_is_not_skipped() throws Exception {
        StoredMemory doomed = a.remember("c1", "小林养了一只橘猫", List.of());
        await().atMost(VISIBLE).until(() -> b.recall("c1", "橘猫").contains("小林养了一只橘猫"));
        try (Connection slow = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            slow.setAutoCommit(false);
            try (Statement st = slow.createStatement()) {
                st.execute("SET engram.instance = 'node-c'");
                st.execute("DELETE FROM memories WHERE id = " + doomed.id()); // takes the lower sequence number
            }
            a.remember("c1", "小林在学弹吉他", List.of()); // commits first, with a higher one
            await().atMost(VISIBLE).until(() -> b.recall("c1", "弹吉他").contains("小林在学弹吉他"));
            ChangeFeedStatus open = b.follower.status();
            assertThat(open.openGaps()).isPositive();
            assertThat(open.cursor()).isLessThan(open.maxSeen());
            slow.commit();
        }
        await().atMost(VISIBLE).until(() -> !b.recall("c1", "橘猫").contains("小林养了一只橘猫"));
        await().atMost(VISIBLE).until(() -> b.follower.status().openGaps() == 0);
        ChangeFeedStatus done = b.follower.status();
        assertThat(done.cursor()).isEqualTo(done.maxSeen());
        assertThat(done.gapsTimedOut()).isZero();
    }

    @Test
    void a_restarted_instance_replays_from_its_durable_cursor_what_it_missed() throws Exception {
        StoredMemory cat = a.remember("c1", "小林养了一只橘猫", List.of());
        await().atMost(VISIBLE).until(() -> b.recall("c1", "橘猫").contains("小林养了一只橘猫"));
        b.close();
        long cursorAtStop = new CursorFile(dir.resolve("b")).read().orElseThrow();
        assertThat(cursorAtStop).isPositive();
        b = null;

        a.remember("c1", "小林在学弹吉他", List.of());
        a.admin.delete(cat.id());

        b = new ClusterNode(pg, "node-b", dir.resolve("b"));
        assertThat(b.follower.status().start()).isEqualTo("resumed");
        await().atMost(VISIBLE).until(() -> b.recall("c1", "弹吉他").contains("小林在学弹吉他"));
        await().atMost(VISIBLE).until(() -> !b.recall("c1", "橘猫").contains("小林养了一只橘猫"));
        assertThat(b.follower.status().cursor()).isGreaterThan(cursorAtStop);
    }

    @Test
    void an_instance_whose_cursor_fell_below_the_pruned_rows_rebuilds_its_index() throws Exception {
        StoredMemory cat = a.remember("c1", "小林养了一只橘猫", List.of());
        await().atMost(VISIBLE).until(() -> b.recall("c1", "橘猫").contains("小林养了一只橘猫"));
        b.close();
        b = null;
        a.admin.delete(cat.id());
        a.remember("c1", "小林在学弹吉他", List.of());
        a.db.changes().pruneBefore(java.time.Instant.now().plusSeconds(60)); // B's missed rows are gone

        b = new ClusterNode(pg, "node-b", dir.resolve("b"));
        assertThat(b.follower.status().start()).startsWith("rebuild: change feed pruned past the cursor");
        assertThat(b.recall("c1", "弹吉他")).contains("小林在学弹吉他");
        assertThat(b.recall("c1", "橘猫")).doesNotContain("小林养了一只橘猫"); // the rebuild started from an empty index
    }
}
