package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.NonRetriableException;
import dev.engram.common.RetriableException;
import dev.engram.store.OutboxRecord;
import dev.engram.model.Recall;

/** Retry schedule, error classification and dead-lettering, on manual workers and manual time. */
@Timeout(60)
class RetryTest {
    private static final TaskPolicy STORE_POLICY =
            new TaskPolicy(Duration.ofSeconds(30), 5, Duration.ofSeconds(1), Duration.ofSeconds(4), 0);

    @TempDir
    Path dir;
    EngineHarness h;
    final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    /** An engine whose store handler throws {@code failure} on the first {@code failures} calls. */
    private void start(int failures, Supplier<Exception> failure, TaskPolicy policy) {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onStore((task, ctx) -> {
            if (calls.incrementAndGet() <= failures) throw failure.get();
        }).build();
        h = EngineHarness.manual(dir, b -> b.handlers(handlers).random(new Random(7))
                .settings(DefaultSettings.tasks().toBuilder().policy(TaskType.STORE, policy).build())).started();
    }

    private OutboxRecord row(TaskId id) {
        return h.storage.outbox().list(0, 100).stream().filter(r -> r.taskId().equals(id.value())).findFirst().orElseThrow();
    }

    @Test
    void retriable_failures_back_off_exponentially_to_the_cap_then_the_task_is_dead() {
        start(Integer.MAX_VALUE, () -> new RetriableException("LLM 503"), STORE_POLICY);
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        List<Duration> delays = new ArrayList<>();

        for (int attempt = 1; attempt < 5; attempt++) {
            h.workers.runAll();
            assertThat(h.state(id)).isEqualTo(TaskState.RETRY_WAIT);
            assertThat(row(id).attempts()).as("attempts survive a restart").isEqualTo(attempt);
            delays.add(h.scheduler.pendingDelays().getFirst());
            h.scheduler.advance(delays.getLast());
        }
        h.workers.runAll();

        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(4));
        TaskView view = h.engine.find(id).orElseThrow();
        assertThat(view.state()).isEqualTo(TaskState.DEAD);
        assertThat(view.attempts()).isEqualTo(5);
        assertThat(view.error()).contains("LLM 503");
        assertThat(calls).hasValue(5);
        assertThat(h.engine.status().totals()).satisfies(t -> {
            assertThat(t.retried()).isEqualTo(4);
            assertThat(t.dead()).isEqualTo(1);
            assertThat(t.inOutbox()).as("a dead letter is not live work").isZero();
            assertThat(t.deadLettersCount()).as("but stays in the outbox").isEqualTo(1);
        });
        assertThat(h.engine.status().deadLetters()).extracting(TaskView::id).containsExactly(id);
        assertThat(row(id).attempts()).isEqualTo(5);
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void a_retry_that_succeeds_completes_the_task_and_clears_the_outbox() {
        start(2, () -> new RetriableException("429"), STORE_POLICY);
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        h.workers.runAll();
        h.scheduler.advance(Duration.ofSeconds(1));
        h.workers.runAll();
        h.scheduler.advance(Duration.ofSeconds(2));
        h.workers.runAll();

        assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
        h.awaitOutboxSettled();
        assertThat(h.storage.outbox().count()).isZero();
        assertThat(h.engine.status().totals().retried()).isEqualTo(2);
        assertThat(h.engine.status().totals().succeeded()).isEqualTo(1);
    }

    @Test
    void a_non_retriable_failure_fails_at_once_and_is_dead_lettered() {
        start(1, () -> new NonRetriableException("HTTP 400 from LLM"), STORE_POLICY);
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        h.workers.runAll();

        assertThat(h.state(id)).isEqualTo(TaskState.FAILED);
        assertThat(h.scheduler.pending()).as("no retry scheduled").isZero();
        assertThat(row(id).attempts()).as("no attempts left after a restart").isEqualTo(STORE_POLICY.maxAttempts());
        assertThat(h.engine.status().deadLetters()).extracting(TaskView::state).containsExactly(TaskState.FAILED);
        assertThat(h.engine.status().totals().failed()).isEqualTo(1);
    }

    @Test
    void classification_follows_the_common_failure_rules() {
        record Case(Exception failure, TaskState expected) {
        }
        List<Case> cases = List.of(
                new Case(new IOException("connection reset"), TaskState.RETRY_WAIT),
                new Case(new TimeoutException("read timed out"), TaskState.RETRY_WAIT),
                new Case(new CompletionException(new RetriableException("5xx")), TaskState.RETRY_WAIT),
                new Case(new IllegalArgumentException("bug"), TaskState.FAILED),
                new Case(new CompletionException(new NonRetriableException("4xx")), TaskState.FAILED));
        AtomicInteger next = new AtomicInteger();
        start(Integer.MAX_VALUE, () -> cases.get(next.getAndIncrement()).failure(), STORE_POLICY);
        for (Case c : cases) {
            TaskId id = h.engine.submit(new MemoryTask.Store("chat-" + c.failure(), "x"));
            h.workers.runAll();
            assertThat(h.state(id)).as(c.failure().toString()).isEqualTo(c.expected());
        }
    }

    /** A retriable failure worth at most two attempts (as a malformed LLM answer is worth three). */
    static final class Garbled extends RetriableException implements dev.engram.common.Failures.AttemptLimited {
        Garbled(String message) {
            super(message);
        }

        @Override
        public int maxAttempts() {
            return 2;
        }
    }

    @Test
    void an_attempt_limited_failure_is_retried_then_dead_at_its_own_limit() {
        start(Integer.MAX_VALUE, () -> new CompletionException(new RetriableException("wrapped",
                new Garbled("body is not a chat completion"))), STORE_POLICY);
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        h.workers.runAll();
        assertThat(h.state(id)).as("first malformed answer is retried").isEqualTo(TaskState.RETRY_WAIT);
        h.scheduler.advance(h.scheduler.pendingDelays().getFirst());
        h.workers.runAll();

        TaskView view = h.engine.find(id).orElseThrow();
        assertThat(view.state()).as("dead at the failure's limit, below max_attempts=5").isEqualTo(TaskState.DEAD);
        assertThat(view.attempts()).isEqualTo(2);
        assertThat(calls).hasValue(2);
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void a_malformed_answer_once_then_a_good_one_stores_the_task() {
        start(1, () -> new Garbled("truncated body"), STORE_POLICY);
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "x"));
        h.workers.runAll();
        h.scheduler.advance(h.scheduler.pendingDelays().getFirst());
        h.workers.runAll();

        assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
        assertThat(h.engine.status().totals().retried()).isEqualTo(1);
    }

    @Test
    void jittered_delays_stay_within_the_jitter_band() {
        start(Integer.MAX_VALUE, () -> new RetriableException("503"),
                new TaskPolicy(Duration.ofSeconds(30), 3, Duration.ofSeconds(10), Duration.ofSeconds(60), 0.5));
        for (int i = 0; i < 20; i++) h.engine.submit(new MemoryTask.Store("chat-" + i, "x"));
        h.workers.runAll();

        assertThat(h.scheduler.pendingDelays()).hasSize(20)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10)))
                .doesNotHaveDuplicates();
    }
}
