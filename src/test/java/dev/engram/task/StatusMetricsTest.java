package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.common.NonRetriableException;
import io.micrometer.core.instrument.MeterRegistry;
import dev.engram.model.Recall;

/** status() and the Micrometer meters report the same figures. */
@Timeout(60)
class StatusMetricsTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    @Test
    void status_and_meters_agree_on_lanes_totals_and_cache() {
        h = EngineHarness.manual(dir, b -> b.handlers(TaskHandlers.<Recall>builder().onBuild((task, ctx) -> {
            throw new NonRetriableException("graph corrupt");
        }).onStore((task, ctx) -> h.cache.invalidate(task.chatId())).build())).started();
        h.engine.submit(new MemoryTask.Store("c", "a"));
        h.engine.submit(new MemoryTask.Store("c", "b"));
        h.engine.submit(new MemoryTask.Build());
        h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusSeconds(2));

        EngineStatus before = h.engine.status();
        assertThat(before.ingest().running()).isEqualTo(1);
        assertThat(before.ingest().queued()).isEqualTo(1);
        assertThat(before.ingest().capacity()).isEqualTo(16);
        assertThat(gauge(TaskMetricNames.LANE_QUEUED, "ingest")).isEqualTo(1);
        assertThat(gauge(TaskMetricNames.LANE_RUNNING, "interactive")).isEqualTo(1);
        assertThat(gauge(TaskMetricNames.IN_OUTBOX, null)).isEqualTo(3);

        h.workers.runAll();                  // the stores finishing invalidate chat c: the first result is not cached
        h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusSeconds(2));
        h.workers.runAll();
        h.engine.retrieve("c", "q", Set.of(), h.clock.instant().plusSeconds(2));
        h.awaitOutboxSettled();

        EngineStatus after = h.engine.status();
        assertThat(after.totals()).isEqualTo(new EngineStatus.Totals(5, 4, 1, 0, 0, 0, 0, 0, 1));
        assertThat(counter(TaskMetricNames.SUBMITTED, "store")).isEqualTo(2);
        assertThat(counter(TaskMetricNames.SUCCEEDED, "retrieve")).isEqualTo(2);
        assertThat(counter(TaskMetricNames.FAILED, "build")).isEqualTo(1);
        assertThat(gauge(TaskMetricNames.DEAD_LETTERS, null)).isEqualTo(1);
        assertThat(after.cache()).isEqualTo(new EngineStatus.CacheStatus(1, 1, 2, 0, 1.0 / 3));
        assertThat(gauge(TaskMetricNames.CACHE_ENTRIES, null)).isEqualTo(1);
        assertThat(h.meters.get(TaskMetricNames.CACHE_HITS).functionCounter().count()).isEqualTo(1);
        assertThat(gauge(TaskMetricNames.CACHE_HIT_RATIO, null)).isEqualTo(1.0 / 3);
        assertThat(after.deadLetters()).singleElement().extracting(TaskView::error).asString().contains("graph corrupt");
    }

    @Test
    void closing_removes_the_engines_meters() {
        h = EngineHarness.manual(dir, b -> b).started();
        assertThat(h.meters.find(TaskMetricNames.SUBMITTED).meters()).isNotEmpty();
        h.closeEngine();
        assertThat(h.meters.getMeters()).isEmpty();
    }

    private double gauge(String name, String lane) {
        MeterRegistry r = h.meters;
        var search = r.get(name);
        if (lane != null) search = search.tag(TaskMetricNames.TAG_LANE, lane);
        return search.gauge().value();
    }

    private double counter(String name, String type) {
        return h.meters.get(name).tag(TaskMetricNames.TAG_TYPE, type).functionCounter().count();
    }
}
