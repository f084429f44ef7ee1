package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.RetriableException;
import dev.engram.model.Recall;

/** close(): stop intake, drain until the deadline, leave the rest in the outbox. */
@Timeout(60)
class CloseTest {
    @TempDir
    Path dir;
    EngineHarness h;
    EngineHarness next;

    @AfterEach
    void close() {
        if (next != null) next.close();
        if (h != null) h.close();
    }

    @Test
    void close_lets_queued_tasks_finish_before_the_deadline() {
        AtomicInteger ran = new AtomicInteger();
        h = EngineHarness.threaded(dir, b -> b.handlers(TaskHandlers.<Recall>builder()
                .onStore((task, ctx) -> ran.incrementAndGet()).build())).started();
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) ids.add(h.engine.submit(new MemoryTask.Store("c" + i % 3, "m" + i)));

        h.closeEngine();

        assertThat(ran).hasValue(50);
        assertThat(ids).allSatisfy(id -> assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED));
        assertThat(h.storage.outbox().count()).isZero();
        assertThat(h.engine.status().accepting()).isFalse();
    }

    @Test
    void tasks_not_done_by_the_drain_deadline_are_cancelled_and_stay_in_the_outbox_for_the_next_start() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        h = EngineHarness.threaded(dir, b -> b.settings(DefaultSettings.tasks().toBuilder().drainDeadline(Duration.ofSeconds(10)).build())
                .handlers(TaskHandlers.<Recall>builder().onStore((task, ctx) -> {
                    started.countDown();
                    new CountDownLatch(1).await(); // blocks until interrupted
                }).build())).started();
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) ids.add(h.engine.submit(new MemoryTask.Store("one-chat", "m" + i)));
        started.await();

        Thread closing = Thread.ofVirtual().start(h.engine::close);
        eventually().until(() -> h.scheduler.pending() == 2); // the attempt's timeout and close()'s drain deadline
        h.scheduler.advance(Duration.ofSeconds(9));
        assertThat(closing.isAlive()).as("still draining before the deadline").isTrue();
        h.scheduler.advance(Duration.ofSeconds(1));
        closing.join();

        assertThat(ids).allSatisfy(id -> assertThat(h.state(id)).isEqualTo(TaskState.CANCELLED));
        assertThat(h.storage.outbox().count()).isEqualTo(4);

        AtomicInteger ranAfterRestart = new AtomicInteger();
        next = EngineHarness.threaded(dir, b -> b.handlers(TaskHandlers.<Recall>builder()
                .onStore((task, ctx) -> ranAfterRestart.incrementAndGet()).build()));
        next.engine.start();
        eventually().until(() -> next.storage.outbox().count() == 0);
        assertThat(ranAfterRestart).hasValue(4);
    }

    @Test
    void a_task_waiting_for_its_retry_at_close_is_cancelled_and_kept() {
        h = EngineHarness.manual(dir, b -> b.handlers(TaskHandlers.<Recall>builder().onStore((task, ctx) -> {
            throw new RetriableException("503");
        }).build())).started();
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.RETRY_WAIT);

        h.closeEngine();

        assertThat(h.state(id)).isEqualTo(TaskState.CANCELLED);
        assertThat(h.storage.outbox().contains(id.value())).isTrue();
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void a_closed_engine_takes_no_new_work_but_staged_work_is_kept() {
        h = EngineHarness.manual(dir, b -> b).started();
        h.closeEngine();

        assertThatThrownBy(() -> h.engine.submit(new MemoryTask.Build())).isInstanceOf(TaskRejectedException.class);
        Staged staged = h.storage.inTransaction(tx -> h.engine.stage(tx, new MemoryTask.Store("c", "late")));
        h.engine.admit(staged);
        assertThat(h.storage.outbox().contains(staged.id().value())).isTrue();
        assertThat(h.workers.pending()).isZero();
    }

    @Test
    void an_engine_must_be_started_before_it_takes_work() {
        h = EngineHarness.manual(dir, b -> b);
        assertThatThrownBy(() -> h.engine.submit(new MemoryTask.Forget())).hasMessageContaining("not running");
        h.engine.start();
        assertThatThrownBy(h.engine::start).hasMessageContaining("already started");
    }
}
