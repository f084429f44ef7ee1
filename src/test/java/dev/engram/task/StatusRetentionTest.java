package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.model.Recall;

/** Finished task statuses in the database stay bounded by age and count ({@code [tasks] status_*}). */
@Timeout(60)
class StatusRetentionTest {

    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private void start(Duration retention, int max) {
        h = EngineHarness.manual(dir, b -> b.handlers(TaskHandlers.<Recall>builder().onStore((t, c) -> { }).build())
                .settings(DefaultSettings.tasks().toBuilder().statusRetention(retention).statusMaxEntries(max).build()))
                .started();
    }

    private TaskId storeOne(int i) {
        TaskId id = h.engine.submit(new MemoryTask.Store("chat-" + i, "x" + i));
        h.workers.runAll();
        h.awaitOutboxSettled();
        return id;
    }

    @Test
    void finished_statuses_beyond_the_maximum_are_pruned_oldest_first() {
        start(Duration.ofDays(1), 10);
        TaskId first = storeOne(0);
        for (int i = 1; i < 60; i++) {
            h.clock.advance(Duration.ofMillis(10));
            storeOne(i);
            assertThat(h.storage.taskStatus().count()).as("after %d tasks", i + 1).isLessThanOrEqualTo(11);
        }
        assertThat(h.storage.taskStatus().count()).isGreaterThanOrEqualTo(9);
        EngineHarness.eventually().until(() -> h.storage.taskStatus().find(first.value()).isEmpty());
    }

    @Test
    void finished_statuses_older_than_the_retention_are_pruned() {
        start(Duration.ofHours(1), 1_000);
        TaskId old = storeOne(0);
        assertThat(h.storage.taskStatus().find(old.value())).isPresent();

        h.clock.advance(Duration.ofHours(2));
        TaskId fresh = storeOne(1);

        EngineHarness.eventually().until(() -> h.storage.taskStatus().find(old.value()).isEmpty());
        assertThat(h.storage.taskStatus().find(fresh.value())).isPresent();
    }
}
