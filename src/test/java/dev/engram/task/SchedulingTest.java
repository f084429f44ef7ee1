package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.RetriableException;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/** Priority, aging, lanes and per-chat order, on manual workers: every step is deterministic. */
@Timeout(60)
class SchedulingTest {
    @TempDir
    Path dir;
    EngineHarness h;
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private EngineHarness start(TaskEngineSettings settings) {
        return start(settings, recording());
    }

    private EngineHarness start(TaskEngineSettings settings, TaskHandlers.Builder<Recall> handlers) {
        h = EngineHarness.manual(dir, b -> b.settings(settings).handlers(handlers.build()));
        return h.started();
    }

    /** Handlers that record what ran, in order; stores record their content. */
    private TaskHandlers.Builder<Recall> recording() {
        return TaskHandlers.<Recall>builder()
                .onStore((task, ctx) -> ran.add(task.content()))
                .onRetrieve((task, ctx) -> {
                    ran.add("retrieve:" + task.query());
                    return Recall.empty(RecallStatus.OK);
                })
                .onBuild((task, ctx) -> ran.add("build"))
                .onForget((task, ctx) -> ran.add("forget"))
                .onConsolidate((task, ctx) -> ran.add("consolidate"));
    }

    @Test
    void under_saturation_higher_priority_runs_first_and_equal_priority_in_arrival_order() {
        start(DefaultSettings.tasks().toBuilder().workerPermits(1).reservedInteractive(0).build());
        h.engine.submit(new MemoryTask.Store("a", "store-1"));          // takes the only permit
        h.engine.submit(new MemoryTask.Build());
        h.engine.submit(new MemoryTask.Forget());
        h.engine.submit(new MemoryTask.Store("b", "store-2"));
        CompletableFuture<Recall> recall = h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusSeconds(2));
        assertThat(h.workers.pending()).isEqualTo(1);

        h.workers.runAll();

        assertThat(ran).containsExactly("store-1", "retrieve:q", "store-2", "build", "forget");
        assertThat(recall).isCompletedWithValue(Recall.empty(RecallStatus.OK));
    }

    @Test
    void aging_lets_a_long_waiting_low_priority_task_overtake_newer_high_priority_ones() {
        start(DefaultSettings.tasks().toBuilder().workerPermits(1).reservedInteractive(0)
                .agingInterval(Duration.ofSeconds(10)).build());
        h.engine.submit(new MemoryTask.Store("a", "store-1"));          // busy worker
        h.engine.submit(new MemoryTask.Build());                         // priority 1, waits
        h.clock.advance(Duration.ofSeconds(25));                         // 2.5 levels of aging
        h.engine.submit(new MemoryTask.Store("b", "store-2"));          // priority 2, fresh
        h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusSeconds(2)); // priority 3, fresh

        h.workers.runAll();

        assertThat(ran).containsExactly("store-1", "build", "retrieve:q", "store-2");
    }

    @Test
    void background_work_never_takes_the_reserved_interactive_permits() {
        start(DefaultSettings.tasks().toBuilder().workerPermits(3).reservedInteractive(1).ingestConcurrency(3).build());
        for (int i = 0; i < 5; i++) h.engine.submit(new MemoryTask.Store("chat-" + i, "s" + i));
        h.engine.submit(new MemoryTask.Build());
        assertThat(h.engine.status().ingest().running()).isEqualTo(2);
        assertThat(h.engine.status().maintenance().running()).isZero();

        h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusSeconds(2));

        assertThat(h.engine.status().interactive().running()).isEqualTo(1);
        assertThat(h.workers.pending()).isEqualTo(3);
        h.workers.runAll();
        assertThat(ran).hasSize(7);
    }

    @Test
    void maintenance_runs_strictly_one_at_a_time_in_arrival_order() {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        TaskHandler<MemoryTask.Build> build = (task, ctx) -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            ran.add("build");
            concurrent.decrementAndGet();
        };
        start(DefaultSettings.tasks(), recording().onBuild(build));
        h.engine.submit(new MemoryTask.Build());
        h.engine.submit(new MemoryTask.Forget());
        h.engine.submit(new MemoryTask.Consolidate());
        h.engine.submit(new MemoryTask.Build());

        for (int step = 0; step < 4; step++) {
            assertThat(h.engine.status().maintenance().running()).isEqualTo(1);
            assertThat(h.workers.pending()).isEqualTo(1);
            h.workers.runNext();
        }
        assertThat(ran).containsExactly("build", "forget", "consolidate", "build");
        assertThat(maxConcurrent).hasValue(1);
    }

    @Test
    void stores_of_one_chat_run_in_order_one_at_a_time_while_chats_run_in_parallel() {
        start(DefaultSettings.tasks().toBuilder().ingestConcurrency(4).build());
        for (int i = 1; i <= 3; i++) {
            h.engine.submit(new MemoryTask.Store("A", "A" + i));
            h.engine.submit(new MemoryTask.Store("B", "B" + i));
        }
        assertThat(h.engine.status().ingest().running()).isEqualTo(2);   // A1 and B1, not A2

        h.workers.runAll();

        assertThat(ran.stream().filter(s -> s.startsWith("A"))).containsExactly("A1", "A2", "A3");
        assertThat(ran.stream().filter(s -> s.startsWith("B"))).containsExactly("B1", "B2", "B3");
        assertThat(ran.subList(0, 2)).containsExactlyInAnyOrder("A1", "B1");
    }

    @Test
    void a_store_waiting_for_its_retry_holds_back_its_chat_but_not_other_chats() {
        AtomicInteger a1Attempts = new AtomicInteger();
        TaskHandlers.Builder<Recall> handlers = recording().onStore((task, ctx) -> {
            if (task.content().equals("A1") && a1Attempts.incrementAndGet() == 1) {
                throw new RetriableException("provider 503");
            }
            ran.add(task.content());
        });
        start(DefaultSettings.tasks().toBuilder().policy(TaskType.STORE,
                new TaskPolicy(Duration.ofSeconds(60), 3, Duration.ofSeconds(5), Duration.ofSeconds(5), 0)).build(), handlers);
        h.engine.submit(new MemoryTask.Store("A", "A1"));
        h.engine.submit(new MemoryTask.Store("A", "A2"));
        h.engine.submit(new MemoryTask.Store("B", "B1"));

        h.workers.runAll();
        assertThat(ran).containsExactly("B1");
        assertThat(h.engine.status().ingest().retryWaiting()).isEqualTo(1);

        h.scheduler.advance(Duration.ofSeconds(5));
        h.workers.runAll();
        assertThat(ran).containsExactly("B1", "A1", "A2");
    }
}
