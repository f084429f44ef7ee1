package dev.engram.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;

class SqliteStorageTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    Storage storage;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir, 5_000);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void appended_messages_keep_their_fields_and_get_increasing_ids() {
        ChatMessage a = storage.messages().append(NewMessage.user("c1", "u1", "小林", "我对花生过敏", T0));
        ChatMessage b = storage.messages().append(NewMessage.assistant("c1", "记住了", T0.plusSeconds(1)));

        assertThat(b.id()).isGreaterThan(a.id());
        ChatMessage read = storage.messages().find(a.id()).orElseThrow();
        assertThat(read).isEqualTo(a);
        assertThat(read.userName()).isEqualTo("小林");
        assertThat(read.memorizedTimes()).isZero();
        assertThat(storage.messages().find(b.id()).orElseThrow().role()).isEqualTo(ChatMessage.Role.ASSISTANT);
    }

    @Test
    void recent_returns_the_newest_messages_oldest_first_per_chat() {
        for (int i = 0; i < 5; i++) {
            storage.messages().append(NewMessage.user("c1", null, null, "m" + i, T0.plusSeconds(i)));
            storage.messages().append(NewMessage.user("c2", null, null, "other" + i, T0.plusSeconds(i)));
        }
        assertThat(storage.messages().recent("c1", 3)).extracting(ChatMessage::text).containsExactly("m2", "m3", "m4");
        assertThat(storage.messages().count()).isEqualTo(10);
        assertThat(storage.messages().countChats()).isEqualTo(2);
    }

    @Test
    void time_range_queries_are_half_open_and_ordered() {
        for (int i = 0; i < 5; i++) storage.messages().append(NewMessage.user("c1", null, null, "m" + i, T0.plusSeconds(i * 60L)));
        storage.messages().append(NewMessage.user("c2", null, null, "x", T0.plusSeconds(60)));

        assertThat(storage.messages().between("c1", T0.plusSeconds(60), T0.plusSeconds(180), 10))
                .extracting(ChatMessage::text).containsExactly("m1", "m2");
        assertThat(storage.messages().betweenAnyChat(T0.plusSeconds(60), T0.plusSeconds(61), 10))
                .extracting(ChatMessage::text).containsExactly("m1", "x");
        assertThat(storage.messages().after(0, 2)).hasSize(2);
    }

    @Test
    void memorized_times_is_incremented_in_one_batch() {
        ChatMessage a = storage.messages().append(NewMessage.user("c1", null, null, "a", T0));
        ChatMessage b = storage.messages().append(NewMessage.user("c1", null, null, "b", T0));
        storage.messages().incrementMemorized(List.of(a.id(), b.id()));
        storage.messages().incrementMemorized(List.of(a.id()));

        assertThat(storage.messages().findAll(List.of(a.id(), b.id())))
                .extracting(ChatMessage::memorizedTimes).containsExactly(2, 1);
    }

    @Test
    void a_failed_transaction_writes_nothing() {
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.messages().append(NewMessage.user("c1", null, null, "half", T0));
            tx.outbox().add(new OutboxRecord("t1", "store", "c1", "{}", T0, 0));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(storage.messages().count()).isZero();
        assertThat(storage.outbox().count()).isZero();
    }

    @Test
    void message_and_outbox_record_commit_together() {
        long id = storage.inTransaction(tx -> {
            ChatMessage m = tx.messages().append(NewMessage.user("c1", null, null, "hello", T0));
            tx.outbox().add(new OutboxRecord("t1", "store", "c1", "{\"m\":" + m.id() + "}", T0, 0));
            return m.id();
        });
        assertThat(storage.messages().find(id)).isPresent();
        assertThat(storage.outbox().contains("t1")).isTrue();
    }

    @Test
    void outbox_keeps_insertion_order_ignores_duplicates_and_survives_reopen() {
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("b", "build", null, "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{\"dup\":true}", T0, 0));
        storage.outbox().add(new OutboxRecord("c", "store", "c2", "{}", T0, 0));
        storage.outbox().updateAttempts("b", 2);
        assertThat(storage.outbox().remove("missing")).isFalse();

        storage.close();
        storage = SqliteStorage.open(dir, 5_000);

        List<OutboxRecord> all = storage.outbox().list(0, 10);
        assertThat(all).extracting(OutboxRecord::taskId).containsExactly("a", "b", "c");
        assertThat(all.get(0).payload()).isEqualTo("{}");
        assertThat(all.get(1).attempts()).isEqualTo(2);
        assertThat(storage.outbox().listAfter(all.get(0).seq(), 10)).extracting(OutboxRecord::taskId).containsExactly("b", "c");
        assertThat(storage.outbox().remove("b")).isTrue();
        assertThat(storage.outbox().count()).isEqualTo(2);
    }

    @Test
    void concurrent_writers_all_succeed() throws Exception {
        int threads = 8, perThread = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int n = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int k = i;
                        storage.inTransaction(tx -> {
                            ChatMessage m = tx.messages().append(NewMessage.user("c" + n, null, null, "m" + k, T0));
                            tx.outbox().add(new OutboxRecord("t" + m.id(), "store", m.chatId(), "{}", T0, 0));
                            return null;
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
        }
        assertThat(storage.messages().count()).isEqualTo(threads * perThread);
        assertThat(storage.outbox().count()).isEqualTo(threads * perThread);
    }
}
