package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.NonRetriableException;
import dev.engram.model.Recall;
import dev.engram.store.OutboxRecord;

/** Dead letters: kept out of live work, listed, retried with fresh attempts, purged, bounded. */
@Timeout(60)
class DeadLetterTest {
    @TempDir
    Path dir;
    EngineHarness h;
    /** Contents whose store fails (not retriably); the rest succeed. */
    final Set<String> failing = ConcurrentHashMap.newKeySet();

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private void start(int deadLetterMax) {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onStore((task, ctx) -> {
            if (failing.contains(task.content())) throw new NonRetriableException("HTTP 400 for " + task.content());
        }).build();
        h = EngineHarness.manual(dir, b -> b.handlers(handlers)
                .settings(DefaultSettings.tasks().toBuilder().deadLetterMax(deadLetterMax).build())).started();
    }

    private TaskId failedStore(String content) {
        failing.add(content);
        TaskId id = h.engine.submit(new MemoryTask.Store("c", content));
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.FAILED);
        return id;
    }

    @Test
    void a_dead_letter_is_not_live_work_and_is_listed_in_the_shape_of_find() {
        start(100);
        TaskId id = failedStore("bad");

        assertThat(h.engine.status().totals().inOutbox()).isZero();
        assertThat(h.engine.status().totals().deadLettersCount()).isEqualTo(1);
        assertThat(h.engine.isIdle()).isTrue();
        assertThat(h.engine.deadLetters(10)).containsExactly(h.engine.find(id).orElseThrow());
        assertThat(h.engine.status().deadLetters()).containsExactlyElementsOf(h.engine.deadLetters(10));
        assertThat(h.engine.deadLetters(10).getFirst().error()).contains("HTTP 400 for bad");
    }

    @Test
    void a_retried_dead_letter_runs_again_with_fresh_attempts() {
        start(100);
        TaskId id = failedStore("flaky");
        failing.remove("flaky");

        assertThat(h.engine.retryDead(id)).isEqualTo(DeadLetterOutcome.DONE);
        assertThat(h.engine.deadLetterCount()).isZero();
        eventually().until(() -> h.workers.pending() > 0);
        h.workers.runAll();

        TaskView view = h.engine.find(id).orElseThrow();
        assertThat(view.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(view.attempts()).as("fresh attempts").isEqualTo(1);
        eventually().until(h.engine::isIdle);
        assertThat(h.storage.outbox().list(0, 10)).isEmpty();
        assertThat(h.engine.retryDead(id)).as("no longer dead").isEqualTo(DeadLetterOutcome.NOT_DEAD);
    }

    @Test
    void retry_and_purge_tell_unknown_tasks_from_live_ones() {
        start(100);
        TaskId unknown = new TaskId("store-0190a6b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b");
        assertThat(h.engine.retryDead(unknown)).isEqualTo(DeadLetterOutcome.NOT_FOUND);
        assertThat(h.engine.purgeDead(unknown)).isEqualTo(DeadLetterOutcome.NOT_FOUND);

        TaskId queued = h.engine.submit(new MemoryTask.Store("c", "waiting"));
        assertThat(h.engine.retryDead(queued)).isEqualTo(DeadLetterOutcome.NOT_DEAD);
        assertThat(h.engine.purgeDead(queued)).isEqualTo(DeadLetterOutcome.NOT_DEAD);
        assertThat(h.storage.outbox().contains(queued.value())).as("a live task is never purged").isTrue();
        h.workers.runAll();
        assertThat(h.state(queued)).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void a_purged_dead_letter_is_gone() {
        start(100);
        TaskId id = failedStore("bad");

        assertThat(h.engine.purgeDead(id)).isEqualTo(DeadLetterOutcome.DONE);

        assertThat(h.engine.find(id)).isEmpty();
        assertThat(h.storage.outbox().contains(id.value())).isFalse();
        assertThat(h.storage.taskStatus().find(id.value())).isEmpty();
        assertThat(h.engine.purgeDead(id)).isEqualTo(DeadLetterOutcome.NOT_FOUND);
    }

    @Test
    void every_dead_letter_is_retried_or_purged_at_once() {
        start(100);
        List<TaskId> dead = List.of(failedStore("a"), failedStore("b"), failedStore("c"));
        failing.remove("a");
        failing.remove("b");

        assertThat(h.engine.retryAllDead()).isEqualTo(3);
        eventually().until(() -> {   // one chat: its stores run one after the other
            h.workers.runAll();
            return dead.stream().allMatch(id -> h.state(id).isFinal());
        });
        assertThat(dead).extracting(h::state).containsExactly(TaskState.SUCCEEDED, TaskState.SUCCEEDED, TaskState.FAILED);

        assertThat(h.engine.purgeAllDead()).isEqualTo(1);
        assertThat(h.engine.deadLetterCount()).isZero();
        assertThat(h.engine.find(dead.get(2))).isEmpty();
    }

    @Test
    void dead_letters_beyond_the_maximum_are_purged_oldest_first() {
        start(3);
        List<TaskId> dead = List.of(failedStore("1"), failedStore("2"), failedStore("3"), failedStore("4"),
                failedStore("5"));

        assertThat(h.engine.deadLetterCount()).isEqualTo(3);
        assertThat(h.engine.deadLetters(10)).extracting(TaskView::id).containsExactly(dead.get(4), dead.get(3), dead.get(2));
        assertThat(h.storage.outbox().contains(dead.get(0).value())).isFalse();
        assertThat(h.storage.taskStatus().find(dead.get(1).value())).isEmpty();
    }

    @Test
    void a_row_out_of_attempts_from_an_older_run_becomes_a_dead_letter_at_replay() {
        start(100);
        h.close();
        var storage = dev.engram.store.sqlite.SqliteStorage.open(dir, 5_000);
        String id = new TaskIdGenerator(java.time.Clock.systemUTC()).next(TaskType.STORE).value();
        storage.outbox().add(new OutboxRecord(id, "store", "c", "{\"content\":\"x\",\"message_ids\":[]}",
                Instant.parse("2026-01-01T00:00:00Z"), DefaultSettings.tasks().store().maxAttempts()));
        storage.close();

        h = EngineHarness.manual(dir, b -> b.handlers(TaskHandlers.<Recall>builder().build())).started();
        eventually().until(() -> h.engine.deadLetterCount() == 1);
        assertThat(h.engine.status().totals().inOutbox()).isZero();
        assertThat(h.workers.pending()).isZero();
        assertThat(h.engine.find(new TaskId(id))).get().extracting(TaskView::state).isEqualTo(TaskState.DEAD);
        h.scheduler.advance(Duration.ofSeconds(1));
    }
}
