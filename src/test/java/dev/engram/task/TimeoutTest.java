package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

@Timeout(60)
class TimeoutTest {
    private static final TaskPolicy BUILD_POLICY =
            new TaskPolicy(Duration.ofMinutes(5), 2, Duration.ofSeconds(10), Duration.ofSeconds(10), 0);

    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    @Test
    void an_attempt_that_outlives_its_timeout_is_retried_and_then_dead() {
        // The handler "runs" for 6 fake minutes: it moves time itself, which fires its own timeout.
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder()
                .onBuild((task, ctx) -> h.scheduler.advance(Duration.ofMinutes(6))).build();
        h = EngineHarness.manual(dir, b -> b.handlers(handlers)
                .settings(DefaultSettings.tasks().toBuilder().policy(TaskType.BUILD, BUILD_POLICY).build())).started();
        TaskId id = h.engine.submit(new MemoryTask.Build());

        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.RETRY_WAIT);
        assertThat(Thread.interrupted()).as("the timeout's interrupt does not leak").isFalse();
        h.scheduler.advance(Duration.ofSeconds(10));
        h.workers.runAll();

        TaskView view = h.engine.find(id).orElseThrow();
        assertThat(view.state()).isEqualTo(TaskState.DEAD);
        assertThat(view.error()).contains("TimeoutException").contains("timed out after PT5M");
    }

    @Test
    void a_blocked_handler_is_interrupted_at_its_timeout() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onBuild((task, ctx) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        }).build();
        h = EngineHarness.threaded(dir, b -> b.handlers(handlers)
                .settings(DefaultSettings.tasks().toBuilder().policy(TaskType.BUILD,
                        new TaskPolicy(Duration.ofMinutes(5), 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0)).build()))
                .started();
        TaskId id = h.engine.submit(new MemoryTask.Build());
        eventually().until(() -> started.getCount() == 0);

        h.scheduler.advance(Duration.ofMinutes(5));

        eventually().until(() -> h.state(id) == TaskState.DEAD);
        assertThat(interrupted).isTrue();
        assertThat(h.engine.status().maintenance().running()).isZero();
    }

    @Test
    void a_retrieval_answers_timeout_at_its_deadline_while_its_task_still_waits() {
        h = EngineHarness.manual(dir, b -> b).started();
        CompletableFuture<Recall> recall = h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusMillis(1500));
        assertThat(recall).isNotDone();

        h.scheduler.advance(Duration.ofMillis(1499));
        assertThat(recall).isNotDone();
        h.scheduler.advance(Duration.ofMillis(1));

        assertThat(recall).isCompletedWithValue(Recall.empty(RecallStatus.TIMEOUT));
        h.workers.runAll(); // the task finds its deadline gone and does not run the handler
        assertThat(h.engine.status().totals().dead()).isEqualTo(1);
    }

    @Test
    void a_retrieval_whose_deadline_already_passed_answers_at_once() {
        h = EngineHarness.manual(dir, b -> b).started();
        assertThat(h.engine.retrieve("c", "q", Set.of(), h.clock.instant()))
                .isCompletedWithValue(Recall.empty(RecallStatus.TIMEOUT));
        assertThat(h.workers.pending()).isZero();
    }
}
