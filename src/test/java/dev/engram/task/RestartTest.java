package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;

/**
 * Acknowledged tasks survive a crash and complete at least once (handlers are idempotent): a task whose
 * outcome was not recorded before the crash runs again after the restart; one that finished never does.
 */
@Timeout(60)
class RestartTest {
    /** Runs per task ("done:" + id); survives the simulated crash like a database would. */
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();

    @TempDir
    Path dir;
    EngineHarness first;
    EngineHarness second;

    @AfterEach
    void close() {
        if (second != null) second.close();
        if (first != null) first.close();
    }

    /** A handler whose only effect is counting its run. */
    private void recordEffect(TaskContext ctx) {
        runs.merge("done:" + ctx.taskId(), 1, Integer::sum);
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }

    private Function<TaskEngineBuilder, TaskEngineBuilder> recording(TaskHandler<MemoryTask.Store> store) {
        return b -> b.settings(DefaultSettings.tasks().toBuilder().ingestConcurrency(2).ingestQueueBound(4).build())
                .handlers(TaskHandlers.<Recall>builder().onStore(store).onBuild((task, ctx) -> recordEffect(ctx)).build());
    }

    @Test
    void after_a_crash_a_new_engine_completes_every_acknowledged_task_and_reruns_only_unfinished_ones() {
        List<TaskId> acknowledged = new ArrayList<>();
        first = EngineHarness.manual(dir, recording((task, ctx) -> {
            recordEffect(ctx);
            if (task.content().equals("crash-after-commit")) first.engine.crashForTest();
        })::apply).started();

        // Finished before the crash.
        for (int i = 0; i < 3; i++) acknowledged.add(first.engine.submit(new MemoryTask.Store("early", "e" + i)));
        first.runAllAfterPull(3);
        // Running, queued, spilled to the outbox, staged but never admitted, staged and rolled back.
        TaskId crashing = first.engine.submit(new MemoryTask.Store("z", "crash-after-commit"));
        acknowledged.add(crashing);
        for (int i = 0; i < 20; i++) acknowledged.add(first.engine.submit(new MemoryTask.Store("chat-" + i % 3, "s" + i)));
        acknowledged.add(first.engine.submit(new MemoryTask.Build()));
        Staged staged = first.storage.inTransaction(tx -> {
            tx.messages().append(NewMessage.user("chat-0", "u", "U", "hello", EngineHarness.T0));
            return first.engine.stage(tx, new MemoryTask.Store("chat-0", "hello"));
        });
        acknowledged.add(staged.id());
        Staged[] rolledBack = new Staged[1];
        assertThatThrownBy(() -> first.storage.inTransaction(tx -> {
            rolledBack[0] = first.engine.stage(tx, new MemoryTask.Store("chat-0", "never"));
            throw new IllegalStateException("reply failed");
        })).hasMessage("reply failed");

        first.workers.runNext();          // the crashing task has its effect, then the "process" dies
        first.workers.runAll();           // threads still scheduled on the dead engine do nothing
        assertThat(runs).containsOnlyKeys("done:" + acknowledged.get(0), "done:" + acknowledged.get(1),
                "done:" + acknowledged.get(2), "done:" + crashing);
        assertThat(first.storage.outbox().count()).as("the crashing task's outcome was never recorded")
                .isEqualTo(acknowledged.size() - 3);

        second = EngineHarness.threaded(dir, recording((task, ctx) -> recordEffect(ctx))::apply);
        second.engine.start();
        eventually().until(() -> second.storage.outbox().count() == 0);

        assertThat(runs).hasSize(acknowledged.size());
        for (int i = 0; i < 3; i++) assertThat(runs.get("done:" + acknowledged.get(i))).as("finished before").isEqualTo(1);
        assertThat(runs.get("done:" + crashing)).as("not recorded before the crash: runs again").isEqualTo(2);
        for (TaskId id : acknowledged.subList(4, acknowledged.size())) {
            assertThat(runs.get("done:" + id)).as(id.value()).isEqualTo(1);
        }
        assertThat(runs).doesNotContainKey("done:" + rolledBack[0].id());
        eventually().until(() -> second.state(staged.id()) == TaskState.SUCCEEDED);
    }

    @Test
    void with_outbox_writes_one_per_transaction_spilled_tasks_are_still_pulled_and_run() {
        first = EngineHarness.threaded(dir, b -> recording((task, ctx) -> recordEffect(ctx)).apply(b)
                .settings(DefaultSettings.tasks().toBuilder().ingestConcurrency(2).ingestQueueBound(4)
                        .outboxBatchSize(1).build()));
        first.engine.start();
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) ids.add(first.engine.submit(new MemoryTask.Store("chat-" + i % 3, "b" + i)));

        eventually().until(() -> first.storage.outbox().count() == 0);
        for (TaskId id : ids) assertThat(runs.get("done:" + id)).as(id.value()).isEqualTo(1);
    }

    @Test
    void a_task_running_at_the_crash_runs_again_after_the_restart() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        first = EngineHarness.threaded(dir, recording((task, ctx) -> {
            recordEffect(ctx);
            running.countDown();
            awaitIgnoringInterrupts(resume); // the attempt ends only after the "kill"
        })::apply).started();
        TaskId id = first.engine.submit(new MemoryTask.Store("c", "x"));
        running.await();

        first.engine.crashForTest();
        resume.countDown();
        eventually().until(() -> first.engine.registry().find(id).map(v -> v.attempts() == 1).orElse(false));
        assertThat(first.storage.outbox().contains(id.value())).isTrue();

        second = EngineHarness.threaded(dir, recording((task, ctx) -> recordEffect(ctx))::apply);
        second.engine.start();
        eventually().until(() -> second.storage.outbox().count() == 0);
        assertThat(runs).containsExactly(Map.entry("done:" + id, 2));
    }

    @Test
    void a_task_dead_lettered_before_the_restart_stays_dead_and_visible() {
        first = EngineHarness.manual(dir, recording((task, ctx) -> {
            throw new dev.engram.common.NonRetriableException("bad content");
        })::apply).started();
        TaskId id = first.engine.submit(new MemoryTask.Store("c", "x"));
        first.workers.runAll();
        first.close();
        first = null;

        second = EngineHarness.manual(dir, recording((task, ctx) -> recordEffect(ctx))::apply).started();

        assertThat(second.workers.pending()).isZero();
        assertThat(second.engine.status().deadLetters()).extracting(TaskView::id, TaskView::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, TaskState.FAILED));
        assertThat(second.engine.find(id)).get().extracting(TaskView::state).isEqualTo(TaskState.FAILED);
        assertThat(second.engine.find(id).orElseThrow().error()).as("the real cause, across the restart")
                .contains("bad content");
        assertThat(second.storage.outbox().contains(id.value())).isTrue();
        assertThat(second.storage.outbox().count()).as("not live work").isZero();
        assertThat(second.engine.isIdle()).isTrue();
    }

    @Test
    void a_task_finished_before_a_restart_is_found_with_its_state_and_attempts() {
        int[] calls = {0};
        first = EngineHarness.manual(dir, recording((task, ctx) -> {
            if (calls[0]++ == 0) throw new dev.engram.common.RetriableException("HTTP 503");
        })::apply).started();
        TaskId id = first.engine.submit(new MemoryTask.Store("c", "x"));
        first.workers.runAll();
        first.scheduler.advance(java.time.Duration.ofSeconds(1));
        first.workers.runAll();
        assertThat(first.state(id)).isEqualTo(TaskState.SUCCEEDED);
        first.close();
        first = null;

        second = EngineHarness.manual(dir, recording((task, ctx) -> recordEffect(ctx))::apply).started();

        TaskView found = second.engine.find(id).orElseThrow();
        assertThat(found.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(found.attempts()).isEqualTo(2);
        assertThat(found.chatId()).isEqualTo("c");
        assertThat(found.error()).isNull();
        assertThat(second.workers.pending()).as("a finished task never runs again").isZero();
    }

    @Test
    void a_task_acknowledged_before_a_crash_and_replayed_is_found_after_the_next_restart() {
        first = EngineHarness.manual(dir, recording((task, ctx) -> recordEffect(ctx))::apply).started();
        TaskId id = first.engine.submit(new MemoryTask.Store("c", "x"));
        first.engine.crashForTest();

        second = EngineHarness.threaded(dir, recording((task, ctx) -> recordEffect(ctx))::apply);
        assertThat(second.engine.find(id)).as("before the replay: queued in the outbox").get()
                .extracting(TaskView::state).isEqualTo(TaskState.QUEUED);
        second.engine.start();
        eventually().until(() -> second.storage.outbox().count() == 0);
        second.close();

        second = EngineHarness.manual(dir, recording((task, ctx) -> recordEffect(ctx))::apply).started();
        assertThat(second.engine.find(id)).get().extracting(TaskView::state, TaskView::attempts)
                .containsExactly(TaskState.SUCCEEDED, 1);
        assertThat(runs).containsExactly(Map.entry("done:" + id, 1));
    }

    @Test
    void a_retry_wait_recorded_before_a_crash_keeps_its_attempts_and_last_error() {
        first = EngineHarness.manual(dir, recording((task, ctx) -> {
            throw new dev.engram.common.RetriableException("HTTP 503 upstream");
        })::apply).started();
        TaskId id = first.engine.submit(new MemoryTask.Store("c", "x"));
        first.workers.runAll();
        first.engine.crashForTest();

        second = EngineHarness.manual(dir, recording((task, ctx) -> recordEffect(ctx))::apply);
        TaskView found = second.engine.find(id).orElseThrow();
        assertThat(found.state()).isEqualTo(TaskState.QUEUED);
        assertThat(found.attempts()).isEqualTo(1);
        assertThat(found.error()).contains("HTTP 503 upstream");
    }
}
