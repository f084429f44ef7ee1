package dev.engram.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engram.store.OutboxRecord;
import dev.engram.store.Storage;
import dev.engram.store.WorkQueue;
import dev.engram.store.WorkQueue.ClaimedRecord;

/** The {@link WorkQueue} contract on a real PostgreSQL server: claims, leases, takeover, order, wake-ups. */
class PostgresWorkQueueTest {
    private static final long LEASE = 2_000;

    private TestPostgres pg;
    private Storage storage;
    private WorkQueue queue;
    private int ids;

    @BeforeEach
    void open() {
        pg = TestPostgres.create();
        storage = pg.open();
        queue = storage.workQueue().orElseThrow();
    }

    @AfterEach
    void close() {
        storage.close();
        pg.close();
    }

    @Test
    void a_claim_takes_the_rows_of_free_chats_in_order_and_others_see_none_of_them() {
        add("c1");
        add("c2");
        add("c1");
        add(null);

        WorkQueue.Claim a = queue.claim("a", 1_000, LEASE, 100);
        WorkQueue.Claim b = queue.claim("b", 1_000, LEASE, 100);

        assertThat(a.leases()).containsExactlyInAnyOrder("chat:c1", "chat:c2", WorkQueue.MAINTENANCE);
        assertThat(a.claimed()).extracting(r -> r.record().seq()).isSorted().hasSize(4);
        assertThat(a.claimed()).extracting(ClaimedRecord::claimSeq).isSorted();
        assertThat(b.leases()).isEmpty();
        assertThat(b.claimed()).isEmpty();
        assertThat(queue.listClaimed("a", 0, 100)).hasSize(4);
        assertThat(queue.lease("chat:c1").orElseThrow().owner()).isEqualTo("a");
    }

    @Test
    void later_rows_of_a_held_chat_go_to_its_owner_after_its_earlier_claims() {
        add("c1");
        List<ClaimedRecord> first = queue.claim("a", 1_000, LEASE, 100).claimed();
        add("c1");
        add("c2");

        assertThat(queue.claim("b", 1_100, LEASE, 100).claimed()).extracting(r -> r.record().chatId())
                .containsExactly("c2");
        List<ClaimedRecord> second = queue.claim("a", 1_200, LEASE, 100).claimed();

        assertThat(second).extracting(r -> r.record().chatId()).containsExactly("c1");
        assertThat(second.getFirst().claimSeq()).isGreaterThan(first.getFirst().claimSeq());
        assertThat(queue.listClaimed("a", first.getFirst().claimSeq(), 10)).containsExactlyElementsOf(second);
    }

    @Test
    void an_expired_lease_is_taken_over_with_its_rows_and_a_higher_token() {
        add("c1");
        add("c1");
        queue.claim("a", 1_000, LEASE, 100);
        long token = queue.lease("chat:c1").orElseThrow().token();

        assertThat(queue.claim("b", 2_999, LEASE, 100).claimed()).isEmpty();
        WorkQueue.Claim takeover = queue.claim("b", 3_001, LEASE, 100);

        assertThat(takeover.leases()).containsExactly("chat:c1");
        assertThat(takeover.claimed()).hasSize(2);
        assertThat(queue.listClaimed("a", 0, 10)).isEmpty();
        assertThat(queue.lease("chat:c1").orElseThrow()).satisfies(l -> {
            assertThat(l.owner()).isEqualTo("b");
            assertThat(l.token()).isGreaterThan(token);
            assertThat(l.expiresAt()).isEqualTo(3_001 + LEASE);
        });
        assertThat(queue.renew("a", 3_100, LEASE)).isEmpty();
        assertThat(queue.renew("b", 3_100, LEASE)).containsExactly("chat:c1");
        assertThat(queue.lease("chat:c1").orElseThrow().token()).as("renewal keeps the token")
                .isEqualTo(queue.lease("chat:c1").orElseThrow().token());
    }

    @Test
    void a_renewed_lease_is_not_taken_over() {
        add("c1");
        queue.claim("a", 1_000, LEASE, 100);
        queue.renew("a", 2_500, LEASE);

        assertThat(queue.claim("b", 3_001, LEASE, 100).leases()).isEmpty();
    }

    @Test
    void a_lease_row_locked_by_another_claimer_is_skipped_not_waited_for() throws Exception {
        add("c1");
        add("c2");
        queue.claim("a", 1_000, LEASE, 100); // both leases a's, expired from 3_000
        try (Connection other = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.executeQuery("SELECT * FROM work_leases WHERE name = 'chat:c1' FOR UPDATE").close();
            }
            WorkQueue.Claim b = queue.claim("b", 5_000, LEASE, 100);
            other.rollback();

            assertThat(b.leases()).containsExactly("chat:c2");
            assertThat(b.claimed()).extracting(r -> r.record().chatId()).containsExactly("c2");
        }
        assertThat(queue.claim("b", 5_000, LEASE, 100).leases()).containsExactly("chat:c1");
    }

    @Test
    void the_maintenance_lease_has_one_holder_until_it_expires() {
        WorkQueue.Lease a = queue.tryLease(WorkQueue.MAINTENANCE, "a", 1_000, LEASE).orElseThrow();

        assertThat(queue.tryLease(WorkQueue.MAINTENANCE, "b", 2_000, LEASE)).isEmpty();
        assertThat(queue.tryLease(WorkQueue.MAINTENANCE, "a", 2_000, LEASE).orElseThrow().token()).isEqualTo(a.token());
        WorkQueue.Lease b = queue.tryLease(WorkQueue.MAINTENANCE, "b", 4_001, LEASE).orElseThrow();
        assertThat(b.owner()).isEqualTo("b");
        assertThat(b.token()).isGreaterThan(a.token());
        assertThat(queue.tryLease(WorkQueue.MAINTENANCE, "a", 4_002, LEASE)).isEmpty();
    }

    @Test
    void idle_chat_leases_are_released_and_a_clean_stop_hands_rows_over() {
        OutboxRecord done = add("c1");
        add("c2");
        queue.claim("a", 1_000, LEASE, 100);
        queue.tryLease(WorkQueue.MAINTENANCE, "a", 1_000, LEASE);
        storage.outbox().remove(done.taskId());

        assertThat(queue.releaseIdle("a", 1_100)).containsExactly("chat:c1");
        assertThat(queue.renew("a", 1_100, LEASE)).containsExactlyInAnyOrder("chat:c2", WorkQueue.MAINTENANCE);

        queue.release("a");
        assertThat(queue.renew("a", 1_200, LEASE)).isEmpty();
        assertThat(queue.claim("b", 1_200, LEASE, 100).claimed()).extracting(r -> r.record().chatId())
                .containsExactly("c2");
    }

    @Test
    void adds_of_one_chat_wait_for_each_other_and_wake_listeners_at_commit() throws Exception {
        try (WorkQueue.Listener listener = queue.listen();
             java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> storage.inTransaction(tx -> {
                tx.workQueue().orElseThrow().orderAdds(List.of("c1"));
                locked.countDown();
                awaitLatch(commit);
                return null;
            }), threads);
            locked.await();
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> storage.inTransaction(tx -> {
                tx.workQueue().orElseThrow().orderAdds(java.util.Arrays.asList("c2", null, "c1"));
                return null;
            }), threads);
            await().atMost(Duration.ofSeconds(10)).until(this::advisoryWaiters, n -> n == 1);
            assertThat(second).isNotDone();

            commit.countDown();
            first.join();
            second.join();
            assertThat(listener.await(Duration.ofSeconds(5))).isTrue();
        }
    }

    private long advisoryWaiters() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private OutboxRecord add(String chatId) {
        OutboxRecord r = new OutboxRecord("store-" + (++ids), "store", chatId, "{}", Instant.ofEpochMilli(1), 0);
        storage.outbox().add(r);
        return r;
    }
}
