package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/** The seed's complaint: a build froze message handling for tens of seconds. Here it cannot. */
@Timeout(60)
class MaintenanceIsolationTest {
    @TempDir
    Path dir;
    EngineHarness h;
    final CountDownLatch buildMayFinish = new CountDownLatch(1);
    final CountDownLatch storesMayFinish = new CountDownLatch(1);

    @AfterEach
    void close() {
        buildMayFinish.countDown();
        storesMayFinish.countDown();
        if (h != null) h.close();
    }

    @Test
    void a_build_running_for_minutes_with_a_saturated_ingest_lane_never_delays_a_retrieval() throws Exception {
        CountDownLatch buildStarted = new CountDownLatch(1);
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder()
                .onBuild((task, ctx) -> {
                    buildStarted.countDown();
                    buildMayFinish.await();
                })
                .onStore((task, ctx) -> storesMayFinish.await())
                .onRetrieve((task, ctx) -> Recall.empty(RecallStatus.OK))
                .build();
        h = EngineHarness.threaded(dir, b -> b.handlers(handlers).settings(DefaultSettings.tasks().toBuilder()
                .workerPermits(6).reservedInteractive(2).ingestConcurrency(8).build())).started();
        TaskId build = h.engine.submit(new MemoryTask.Build());
        for (int i = 0; i < 20; i++) h.engine.submit(new MemoryTask.Store("chat-" + i, "m"));
        buildStarted.await();
        eventually().until(() -> h.engine.status().ingest().running() == 3); // 4 background permits, build holds one

        List<CompletableFuture<Recall>> answers = new ArrayList<>();
        for (int minute = 1; minute <= 10; minute++) {
            h.scheduler.advance(Duration.ofMinutes(1));                      // the build keeps running
            answers.add(h.engine.retrieve("c", "q" + minute, Set.of(), h.clock.instant().plusSeconds(2)));
            assertThat(answers.getLast().get(5, TimeUnit.SECONDS).status()).isEqualTo(RecallStatus.OK);
        }

        assertThat(h.state(build)).isEqualTo(TaskState.RUNNING);
        assertThat(h.engine.status().maintenance().running()).isEqualTo(1);
        buildMayFinish.countDown();
        storesMayFinish.countDown();
        eventually().until(() -> h.state(build) == TaskState.SUCCEEDED);
    }
}
