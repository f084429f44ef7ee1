package dev.engram.task;

import dev.engram.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class TaskIdTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void ids_from_many_threads_in_the_same_millisecond_never_collide() throws Exception {
        TaskIdGenerator ids = new TaskIdGenerator(clock);
        int threads = 8;
        int perThread = 25_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<TaskId>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<TaskId> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) mine.add(ids.next(TaskType.STORE));
                    return mine;
                }));
            }
            start.countDown();
            Set<TaskId> all = new HashSet<>();
            for (Future<List<TaskId>> f : results) all.addAll(f.get());
            assertThat(all).hasSize(threads * perThread);
        }
    }

    @Test
    void ids_of_one_thread_sort_by_creation_even_when_the_clock_steps_back() {
        TaskIdGenerator ids = new TaskIdGenerator(clock);
        TaskId a = ids.next(TaskType.BUILD);
        clock.set(clock.instant().minusSeconds(5));
        TaskId b = ids.next(TaskType.BUILD);
        assertThat(b.value()).isGreaterThan(a.value());
    }

    @Test
    void id_names_its_type_and_creation_time() {
        TaskId id = new TaskIdGenerator(clock).next(TaskType.BUILD);
        assertThat(id.value()).startsWith("build-");
        assertThat(id.type()).contains(TaskType.BUILD);
        assertThat(TaskIdGenerator.createdAt(id, Instant.EPOCH)).isEqualTo(clock.instant());
        assertThat(TaskIdGenerator.createdAt(new TaskId("store-legacy_1"), Instant.EPOCH)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void malformed_ids_are_rejected_with_the_rule() {
        assertThatThrownBy(() -> TaskId.parse("no dash")).hasMessageContaining("task id must be");
        assertThatThrownBy(() -> TaskId.parse("store-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskId.parse("store-'; DROP TABLE")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TaskId.parse("nope-123").type()).isEmpty();
    }
}
