package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.NonRetriableException;
import dev.engram.model.Recall;

/** The original's result dicts grew forever; here nothing grows with the number of finished tasks. */
@Timeout(60)
class BoundedMemoryTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    @Test
    void one_hundred_thousand_finished_tasks_leave_only_bounded_bookkeeping() {
        int[] forgets = {0};
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onForget((task, ctx) -> {
            if (++forgets[0] % 100 == 0) throw new NonRetriableException("every hundredth forget fails");
        }).build();
        TaskEngineSettings settings = DefaultSettings.tasks().toBuilder()
                .interactiveQueueBound(1_000).maintenanceQueueBound(1_000)
                .finishedMaxEntries(500).deadLetterMax(20).build();
        h = EngineHarness.manual(dir, b -> b.settings(settings).handlers(handlers)
                .cache(EngineHarness.recallCache(b, 100))).started();

        int total = 0;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 400; i++) {
                h.engine.retrieve("chat-" + (i % 50), "query " + round + "/" + i, Set.of(), h.clock.instant().plusSeconds(2));
                h.engine.submit(new MemoryTask.Forget());
            }
            for (int i = 0; i < 200; i++) {
                h.engine.submit(new MemoryTask.Retrieve("chat-" + i, "q", Set.of(), h.clock.instant().plusSeconds(2)));
            }
            total += 1_000;
            h.workers.runAll();
            h.clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 300; i++) h.engine.submit(new MemoryTask.Store("chat-" + i, "m" + i));
        h.workers.runAll();
        total += 300;

        h.awaitOutboxSettled();
        assertThat(total).isGreaterThanOrEqualTo(100_000);
        EngineStatus status = h.engine.status();
        assertThat(status.totals().succeeded() + status.totals().failed()).isEqualTo(total);
        assertThat(h.engine.registry().liveCount()).isZero();
        assertThat(h.engine.registry().finishedCount()).isLessThanOrEqualTo(500);
        assertThat(status.deadLetters()).as("failed periodic tasks are counted, not dead-lettered").isEmpty();
        assertThat(status.totals().failed()).isEqualTo(400);
        assertThat(status.cache().entries()).isLessThanOrEqualTo(100);
        assertThat(h.engine.recallCoordinator().inFlight()).isZero();
        assertThat(h.engine.dispatcher().ingestChats()).isZero();
        assertThat(h.scheduler.pending()).as("every timeout and deadline timer was cancelled").isZero();
        assertThat(status.totals().inOutbox()).isZero();
    }
}
