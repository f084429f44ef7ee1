package dev.engram.task;

import static dev.engram.task.EngineHarness.T0;
import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.model.Recall;

/** The visibility lag rises while the store pipeline is held back and falls when it drains. */
@Timeout(60)
class StoreBacklogTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    @Test
    void lag_and_backlog_rise_while_stores_wait_and_fall_when_they_drain() {
        // manual workers: no store runs until the test lets it, as when the ingest lane is saturated
        h = EngineHarness.manual(dir, b -> b.handlers(TaskHandlers.<Recall>builder().onStore((task, ctx) -> {
        }).build())).started();
        assertThat(h.engine.storeBacklog().lagSeconds()).isZero();

        h.engine.submit(new MemoryTask.Store("a", "first"));
        h.clock.advance(Duration.ofSeconds(10));
        h.engine.submit(new MemoryTask.Store("b", "second"));
        h.engine.submit(new MemoryTask.Build()); // durable but no store: counted as backlog, not as lag
        eventually().until(() -> gauge(StoreBacklog.OUTBOX_LIVE) == 3);
        h.clock.advance(Duration.ofSeconds(20));

        StoreBacklog.Snapshot held = h.engine.storeBacklog();
        assertThat(held.outboxLive()).isEqualTo(3);
        assertThat(held.oldestStoreAt()).contains(T0);
        assertThat(held.lagSeconds()).isEqualTo(30.0);
        assertThat(gauge(StoreBacklog.LAG)).isEqualTo(30.0);
        assertThat(held.recentStores()).isZero();

        h.clock.advance(Duration.ofSeconds(15));
        assertThat(gauge(StoreBacklog.LAG)).as("grows while held back").isEqualTo(45.0);

        h.workers.runAll();
        h.awaitOutboxSettled();

        StoreBacklog.Snapshot drained = h.engine.storeBacklog();
        assertThat(drained.outboxLive()).isZero();
        assertThat(drained.oldestStoreAt()).isEmpty();
        assertThat(drained.lagSeconds()).isZero();
        assertThat(gauge(StoreBacklog.LAG)).isZero();
        assertThat(drained.recentStores()).isEqualTo(2);
        assertThat(drained.p50Seconds()).isEqualTo(35.0); // acknowledged 45 s and 35 s before they finished
        assertThat(drained.p95Seconds()).isEqualTo(45.0);
        assertThat(gauge(StoreBacklog.STORED_P95)).isEqualTo(45.0);

        h.clock.advance(StoreBacklog.RECENT.plusSeconds(1));
        assertThat(h.engine.storeBacklog().recentStores()).as("only recent stores count").isZero();
        assertThat(gauge(StoreBacklog.STORED_P50)).isZero();
    }

    private double gauge(String name) {
        return h.meters.get(name).gauge().value();
    }
}
