package dev.engram.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.OutboxRecord;
import dev.engram.store.OutboxRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The store pipeline's backlog and how far behind it runs: live (not dead) tasks in the outbox, the age of the
 * oldest store task not yet finished (its message acknowledged, its store not done: the <em>visibility lag</em>),
 * and percentiles of acknowledged→stored times of the store tasks that finished recently. A store task's first
 * step makes its raw message searchable, so a finished store is an upper bound of when its message became
 * searchable; a message whose task has not run is not searchable (except through the recent-messages context).
 *
 * <p>The oldest store task is read from the outbox (one indexed query over its first {@value #SCAN} live
 * records), so tasks spilled to the outbox only, replayed after a restart or waiting to retry all count.
 * Thread-safe: the sample window is guarded by this object's monitor.
 */
public final class StoreBacklog {
    /** Meter names (Prometheus: {@code engram_visibility_lag_seconds} and so on). */
    public static final String LAG = "engram.visibility.lag.seconds";
    public static final String OUTBOX_LIVE = "engram.outbox.live";
    public static final String STORED_P50 = "engram.store.visibility.p50.seconds";
    public static final String STORED_P95 = "engram.store.visibility.p95.seconds";

    /** Live outbox records looked at for the oldest store task. */
    static final int SCAN = 64;
    /** Finished stores kept for the percentiles, at most. */
    static final int WINDOW = 1_024;
    /** Finished stores older than this leave the percentiles. */
    static final Duration RECENT = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(StoreBacklog.class);

    private final OutboxRepository outbox;
    private final Clock clock;
    private final long[] sampleNanos = new long[WINDOW];
    private final Instant[] sampleAt = new Instant[WINDOW];
    private int next;
    private int size;

    StoreBacklog(OutboxRepository outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * The {@code store_pipeline} section of {@code GET /api/status}.
     *
     * @param outboxLive        durable tasks not finished (-1 if the outbox cannot be read)
     * @param oldestStoreAt     when the oldest unfinished store task was acknowledged, empty when none
     * @param lagSeconds        its age now (0 when none): how long the oldest acknowledged message has waited
     * @param recentStores      finished store tasks in the last {@link #RECENT}
     * @param p50Seconds        median acknowledged→stored time of those (0 when none)
     * @param p95Seconds        95th percentile of those (0 when none)
     */
    public record Snapshot(long outboxLive, Optional<Instant> oldestStoreAt, double lagSeconds, int recentStores,
                           double p50Seconds, double p95Seconds) {
    }

    /** {@code listener}, told after this records the task. */
    TaskListener before(TaskListener listener) {
        return task -> {
            finished(task);
            listener.onFinished(task);
        };
    }

    /** Records a finished task: a succeeded store adds its acknowledged→finished time to the window. */
    void finished(TaskView task) {
        if (task.type() != TaskType.STORE || task.state() != TaskState.SUCCEEDED) return;
        Instant now = clock.instant();
        long nanos = Math.max(0, Duration.between(task.submittedAt(), now).toNanos());
        synchronized (this) {
            sampleNanos[next] = nanos;
            sampleAt[next] = now;
            next = (next + 1) % WINDOW;
            size = Math.min(size + 1, WINDOW);
        }
    }

    /** The figures now (one or two outbox reads). */
    public Snapshot snapshot() {
        Instant now = clock.instant();
        long live = liveOrMinusOne();
        Optional<Instant> oldest = live == 0 ? Optional.empty() : oldestStore();
        double lag = oldest.map(at -> Math.max(0, Duration.between(at, now).toNanos()) / 1e9).orElse(0.0);
        long[] recent = recentSamples(now);
        return new Snapshot(live, oldest, lag, recent.length, percentile(recent, 0.50), percentile(recent, 0.95));
    }

    /** Registers the gauges; returns them so the engine can remove them when it closes. */
    List<Meter> bind(MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder(LAG, this, b -> b.snapshot().lagSeconds())
                .description("age of the oldest acknowledged store task not finished").baseUnit("seconds")
                .register(registry));
        meters.add(Gauge.builder(OUTBOX_LIVE, this, b -> b.liveOrMinusOne())
                .description("durable tasks not finished (dead letters excluded)").register(registry));
        meters.add(Gauge.builder(STORED_P50, this, b -> percentile(b.recentSamples(b.clock.instant()), 0.50))
                .description("median acknowledged-to-stored time of recent store tasks").register(registry));
        meters.add(Gauge.builder(STORED_P95, this, b -> percentile(b.recentSamples(b.clock.instant()), 0.95))
                .description("95th percentile acknowledged-to-stored time of recent store tasks").register(registry));
        return meters;
    }

    private long liveOrMinusOne() {
        try {
            return outbox.count();
        } catch (RuntimeException e) {
            log.debug("cannot count the task outbox", e);
            return -1;
        }
    }

    private Optional<Instant> oldestStore() {
        try {
            String store = TaskType.STORE.wire();
            return outbox.listAfter(0, SCAN).stream().filter(r -> r.type().equals(store))
                    .map(OutboxRecord::createdAt).min(Instant::compareTo);
        } catch (RuntimeException e) {
            log.debug("cannot read the task outbox", e);
            return Optional.empty();
        }
    }

    private synchronized long[] recentSamples(Instant now) {
        Instant since = now.minus(RECENT);
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!sampleAt[i].isBefore(since)) out[n++] = sampleNanos[i];
        }
        return Arrays.copyOf(out, n);
    }

    /** Nearest-rank percentile in seconds, 0 for no samples. */
    private static double percentile(long[] nanos, double q) {
        if (nanos.length == 0) return 0;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e9;
    }
}
