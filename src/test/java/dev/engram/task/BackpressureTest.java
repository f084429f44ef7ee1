package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import dev.engram.app.DefaultSettings;
import dev.engram.model.Recall;

/** A full ingest lane keeps new stores in the outbox only and pulls them, in order, as room frees up. */
@Timeout(60)
class BackpressureTest {
    @TempDir
    Path dir;
    EngineHarness h;
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    int maxLive;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    @Test
    void stores_beyond_the_queue_bound_wait_in_the_outbox_and_still_run_in_chat_order() {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onStore((task, ctx) -> {
            ran.add(task.content());
            maxLive = Math.max(maxLive, h.engine.registry().liveCount());
        }).build();
        h = EngineHarness.manual(dir, b -> b.handlers(handlers)
                .settings(DefaultSettings.tasks().toBuilder().ingestConcurrency(2).ingestQueueBound(4).build())).started();
        List<String> submitted = new ArrayList<>();
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String chat = i % 3 == 0 ? "b" : "a";
            submitted.add(chat + i);
            ids.add(h.engine.submit(new MemoryTask.Store(chat, chat + i)));
        }

        EngineStatus status = h.engine.status();
        assertThat(status.ingest().spilled()).isTrue();
        assertThat(status.ingest().queued() + status.ingest().running()).isLessThanOrEqualTo(6);
        assertThat(status.totals().inOutbox()).isEqualTo(30);
        assertThat(h.engine.find(ids.getLast())).get().extracting(TaskView::state).isEqualTo(TaskState.QUEUED);

        eventually().until(() -> {
            h.workers.runAll();
            return ran.size() == 30;
        });

        assertThat(ran.stream().filter(s -> s.startsWith("a"))).containsExactlyElementsOf(
                submitted.stream().filter(s -> s.startsWith("a")).toList());
        assertThat(ran.stream().filter(s -> s.startsWith("b"))).containsExactlyElementsOf(
                submitted.stream().filter(s -> s.startsWith("b")).toList());
        assertThat(maxLive).as("tasks held in memory").isLessThanOrEqualTo(6);
        eventually().until(() -> !h.engine.status().ingest().spilled());
        h.awaitOutboxSettled();
        assertThat(h.storage.outbox().count()).isZero();
        assertThat(ids).allSatisfy(id -> assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED));
    }

    @Test
    void a_full_maintenance_lane_rejects_forget_but_keeps_builds_in_the_outbox() {
        h = EngineHarness.manual(dir, b -> b.settings(DefaultSettings.tasks().toBuilder().maintenanceQueueBound(1).build()))
                .started();
        h.engine.submit(new MemoryTask.Forget());                       // runs
        h.engine.submit(new MemoryTask.Forget());                       // queued
        TaskId rejected = h.engine.submit(new MemoryTask.Consolidate());
        TaskId build = h.engine.submit(new MemoryTask.Build());

        assertThat(h.engine.find(rejected)).get().satisfies(v -> {
            assertThat(v.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(v.error()).contains("maintenance lane is full");
        });
        assertThat(h.engine.status().totals().rejected()).isEqualTo(1);
        assertThat(h.state(build)).isEqualTo(TaskState.QUEUED);

        eventually().until(() -> {
            h.workers.runAll();
            return h.state(build) == TaskState.SUCCEEDED;
        });
    }
}
