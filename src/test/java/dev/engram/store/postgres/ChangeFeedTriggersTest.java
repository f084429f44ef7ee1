package dev.engram.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.ChangeRow;
import dev.engram.store.ChangeRow.Kind;
import dev.engram.store.EmbeddingRepository;
import dev.engram.store.MemoryRepository.NewMemory;
import dev.engram.store.Storage;

/**
 * The change feed's triggers on a real PostgreSQL: what each write logs (and what it does not), the origin each
 * instance's connections record, wake-ups, pruning, and the transaction horizon that proves a gap rolled back.
 */
class ChangeFeedTriggersTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    TestPostgres pg;
    PostgresStorage.Cluster a;

    @BeforeEach
    void open() {
        pg = TestPostgres.create();
        a = PostgresStorage.openCluster(pg.url(), pg.user(), pg.password(), 4, "inst-a");
    }

    @AfterEach
    void close() {
        if (a != null) a.storage().close();
        if (pg != null) pg.close();
    }

    @Test
    void writes_log_one_row_per_change_with_their_chat_reference_and_origin() {
        Storage s = a.storage();
        ChangeFeedRepository feed = a.changes();
        ChatMessage m = s.messages().append(NewMessage.user("c1", "u1", "小林", "我对花生过敏", T));
        s.messages().incrementMemorized(List.of(m.id())); // sampling is not a change anyone follows
        StoredMemory old = s.memories().insert(memory("c1", "小林住在北京"), List.of());
        StoredMemory now = s.memories().insert(memory("c1", "小林住在上海"), List.of(old.id()));
        s.embeddings().saveAll(List.of(new EmbeddingRepository.Embedding(EmbeddingRepository.Kind.MESSAGE, m.id(), "c1",
                "model-x", new float[] {1, 0}, T)));
        s.messages().markForgotten(List.of(m.id()));
        s.memories().delete(List.of(now.id()));

        List<ChangeRow> rows = feed.after(0, 100);
        assertThat(rows).extracting(ChangeRow::kind, ChangeRow::refId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.MESSAGE, m.id()),
                org.assertj.core.groups.Tuple.tuple(Kind.MEMORY, old.id()),
                org.assertj.core.groups.Tuple.tuple(Kind.MEMORY, now.id()),
                org.assertj.core.groups.Tuple.tuple(Kind.MEMORY, old.id()), // superseded
                org.assertj.core.groups.Tuple.tuple(Kind.EMBEDDING_MESSAGE, m.id()),
                org.assertj.core.groups.Tuple.tuple(Kind.MESSAGE, m.id()), // forgotten
                org.assertj.core.groups.Tuple.tuple(Kind.MEMORY, old.id()), // revived: its successor is gone
                org.assertj.core.groups.Tuple.tuple(Kind.MEMORY, now.id())); // deleted
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.origin()).contains("inst-a");
            assertThat(r.chatId()).contains("c1");
        });
        assertThat(rows).extracting(ChangeRow::seq).isSorted().doesNotHaveDuplicates();
        assertThat(feed.maxSeq()).isEqualTo(rows.getLast().seq());
        assertThat(feed.find(List.of(rows.get(2).seq(), 999_999L))).containsExactly(rows.get(2));
    }

    @Test
    void a_storage_outside_a_cluster_records_no_origin_and_graph_writes_log_once_per_transaction() {
        try (Storage plain = pg.open()) {
            plain.inTransaction(tx -> {
                long n1 = tx.graph().insertNode("花生", "花生", T);
                long n2 = tx.graph().insertNode("过敏", "过敏", T);
                tx.graph().upsertEdge(new dev.engram.store.GraphRepository.EdgeRow(n1, n2, 1, T, T));
                tx.graph().insertItem(n1, "c2", "小林对花生过敏", "h1", List.of(), T);
                return null;
            });
        }
        List<ChangeRow> rows = a.changes().after(0, 100);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(Kind.GRAPH);
            assertThat(r.origin()).isEmpty();
        });
        assertThat(rows).filteredOn(r -> r.chatId().isEmpty()).hasSize(1); // nodes and edges: once
        assertThat(rows).filteredOn(r -> r.chatId().isPresent()).extracting(r -> r.chatId().get()).containsExactly("c2");
    }

    @Test
    void nothing_is_logged_before_an_instance_opened_the_database_in_cluster_mode() {
        try (TestPostgres single = TestPostgres.create(); Storage plain = single.open()) {
            plain.messages().append(NewMessage.user("c9", "u", "u", "single instance", T));
            PostgresStorage.Cluster joined = PostgresStorage.openCluster(single.url(), single.user(), single.password(), 2,
                    "late");
            try {
                assertThat(joined.changes().after(0, 10)).isEmpty();
                plain.messages().append(NewMessage.user("c9", "u", "u", "now in a cluster", T));
                assertThat(joined.changes().after(0, 10)).singleElement()
                        .satisfies(r -> assertThat(r.origin()).isEmpty());
            } finally {
                joined.storage().close();
            }
        }
    }

    @Test
    void a_commit_wakes_a_listener_and_pruning_raises_the_horizon() throws Exception {
        try (ChangeFeedRepository.ChangeWakeups w = a.changes().listen()) {
            assertThat(w.await(1)).isTrue(); // connecting: read the feed once
            assertThat(w.await(50)).isFalse();
            a.storage().messages().append(NewMessage.user("c3", "u", "u", "hello", T));
            assertThat(w.await(5_000)).isTrue();
        }
        long top = a.changes().maxSeq();
        assertThat(a.changes().prunedBelow()).isZero();
        assertThat(a.changes().pruneBefore(Instant.now().plusSeconds(60))).isEqualTo(1);
        assertThat(a.changes().prunedBelow()).isEqualTo(top + 1);
        assertThat(a.changes().after(0, 10)).isEmpty();
    }

    @Test
    void the_horizon_passes_a_transaction_only_once_it_ended() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO messages (chat_id, role, text, created_at) VALUES ('c4', 'user', 'x', 0)");
            }
            long fresh = a.changes().freshTransactionId();
            assertThat(a.changes().after(0, 10)).isEmpty(); // allocated, not committed
            assertThat(a.changes().maxSeq()).isEqualTo(1);
            assertThat(a.changes().endedBelow()).isLessThan(fresh); // the insert's transaction still runs
            c.rollback();
            // other sessions of the server (other tests) may briefly hold the horizon too
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> a.changes().endedBelow() >= fresh);
        }
        assertThat(a.changes().after(0, 10)).isEmpty();
    }

    private static NewMemory memory(String chat, String text) {
        return new NewMemory(chat, text, List.of(), List.of(), T, dev.engram.text.TextSimilarity.contentHash(text), null,
                Set.of());
    }
}
