package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.engram.store.OutboxRecord;

/** Picking store tasks out of outbox rows: only readable stores the predicate accepts, in the rows' order. */
class QueuedStoresTest {
    private final TaskCodec codec = new TaskCodec();
    private final Instant at = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void only_readable_store_rows_the_predicate_accepts_are_picked_in_order() {
        List<OutboxRecord> rows = List.of(
                codec.encode(new TaskId("store-1"), new MemoryTask.Store("c", "我的暗号是 zqx", List.of(1L)), at),
                codec.encode(new TaskId("store-2"), new MemoryTask.Store("c", "别人的话", List.of(2L)), at),
                codec.encode(new TaskId("build-1"), new MemoryTask.Build(), at),
                new OutboxRecord("bad", "store", "c", "not json", at, 0),
                new OutboxRecord("odd", "future-type", "c", "{}", at, 0),
                codec.encode(new TaskId("store-3"), new MemoryTask.Store("c", "手写的 zqx 记忆"), at),
                codec.encode(new TaskId("store-4"), new MemoryTask.Store("c", "x", List.of(1L, 2L)), at));
        Set<Long> forgotten = Set.of(1L);

        List<String> picked = new QueuedStores().matching(rows, s -> s.messageIds().isEmpty()
                ? s.content().contains("zqx") : forgotten.containsAll(s.messageIds()));

        assertThat(picked).containsExactly("store-1", "store-3");
    }
}
