package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.NonRetriableException;
import dev.engram.common.RetriableException;
import dev.engram.model.Recall;

/** {@link TaskEngine#isIdle()}: nothing queued, running or waiting to retry; dead letters do not count. */
@Timeout(60)
class IdleTest {
    private static final TaskPolicy STORE_POLICY =
            new TaskPolicy(Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofSeconds(4), 0);

    @TempDir
    Path dir;
    EngineHarness h;
    final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private void start(TaskHandler<MemoryTask.Store> store) {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onStore(store).build();
        h = EngineHarness.manual(dir, b -> b.handlers(handlers)
                .settings(DefaultSettings.tasks().toBuilder().policy(TaskType.STORE, STORE_POLICY).build())).started();
    }

    @Test
    void a_dead_lettered_task_leaves_the_engine_idle() throws InterruptedException {
        start((task, ctx) -> {
            throw new NonRetriableException("HTTP 400 from LLM");
        });
        assertThat(h.engine.isIdle()).as("fresh engine").isTrue();
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        assertThat(h.engine.isIdle()).as("queued").isFalse();
        h.workers.runAll();

        assertThat(h.state(id)).isEqualTo(TaskState.FAILED);
        assertThat(h.engine.awaitIdle(Duration.ofSeconds(10))).as("a failed task does not keep the engine busy").isTrue();
        assertThat(h.engine.status().deadLetters()).extracting(TaskView::id).containsExactly(id);
    }

    @Test
    void a_task_waiting_to_retry_keeps_the_engine_busy_until_it_is_final() throws InterruptedException {
        start((task, ctx) -> {
            if (calls.incrementAndGet() == 1) throw new RetriableException("503");
        });
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.RETRY_WAIT);
        assertThat(h.engine.isIdle()).as("waiting to retry").isFalse();
        assertThat(h.engine.awaitIdle(Duration.ofMillis(50))).isFalse();

        h.scheduler.advance(Duration.ofSeconds(1));
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
        eventually().until(h.engine::isIdle);
        assertThat(h.storage.outbox().count()).as("idle means the row is gone").isZero();
    }

    @Test
    void a_task_running_keeps_the_engine_busy() throws InterruptedException {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        start((task, ctx) -> {
            entered.countDown();
            release.await();
        });
        h.engine.submit(new MemoryTask.Store("c", "x"));
        Thread worker = Thread.ofVirtual().start(h.workers::runAll);
        entered.await();
        assertThat(h.engine.isIdle()).as("running").isFalse();
        release.countDown();
        worker.join();
        eventually().until(h.engine::isIdle);
    }
}
