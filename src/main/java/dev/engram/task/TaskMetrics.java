package dev.engram.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.OutboxRepository;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The engine's counters ({@link LongAdder}s, cheap under contention) and their meters. Meters read the
 * same sources as {@link TaskEngine#status()}, so both always agree. Thread-safe.
 */
final class TaskMetrics {
    private static final Logger log = LoggerFactory.getLogger(TaskMetrics.class);

    /** What is counted, per task type. */
    enum Count {
        SUBMITTED(TaskMetricNames.SUBMITTED),
        SUCCEEDED(TaskMetricNames.SUCCEEDED),
        FAILED(TaskMetricNames.FAILED),
        RETRIED(TaskMetricNames.RETRIED),
        DEAD(TaskMetricNames.DEAD),
        CANCELLED(TaskMetricNames.CANCELLED),
        REJECTED(TaskMetricNames.REJECTED);

        final String meterName;

        Count(String meterName) {
            this.meterName = meterName;
        }
    }

    private final LongAdder[][] adders = new LongAdder[Count.values().length][TaskType.values().length];

    TaskMetrics() {
        for (LongAdder[] row : adders) {
            for (int i = 0; i < row.length; i++) row[i] = new LongAdder();
        }
    }

    void increment(Count count, TaskType type) {
        adders[count.ordinal()][type.ordinal()].increment();
    }

    long total(Count count) {
        long sum = 0;
        for (LongAdder a : adders[count.ordinal()]) sum += a.sum();
        return sum;
    }

    /** The engine's status, read from the same sources as the meters. */
    EngineStatus snapshot(boolean accepting, Dispatcher dispatcher, List<TaskView> deadLetters,
                          RecallCoordinator<?> recall, OutboxRepository outbox) {
        double inOutbox = countOrNaN(outbox);
        double dead = deadOrNaN(outbox);
        var totals = new EngineStatus.Totals(total(Count.SUBMITTED), total(Count.SUCCEEDED), total(Count.FAILED),
                total(Count.RETRIED), total(Count.DEAD), total(Count.CANCELLED), total(Count.REJECTED),
                Double.isNaN(inOutbox) ? -1 : (long) inOutbox, Double.isNaN(dead) ? -1 : (long) dead);
        var cache = recall.cacheStatus();
        return new EngineStatus(accepting, dispatcher.laneStatus(Lane.INTERACTIVE), dispatcher.laneStatus(Lane.INGEST),
                dispatcher.laneStatus(Lane.MAINTENANCE), totals, cache, deadLetters);
    }

    /** Registers the meters; returns them so the engine can remove them when it closes. */
    List<Meter> bind(MeterRegistry registry, Dispatcher dispatcher, RecallCoordinator<?> recall,
                     OutboxRepository outbox, StoreBacklog backlog) {
        List<Meter> meters = new ArrayList<>(backlog.bind(registry));
        for (Count count : Count.values()) {
            for (TaskType type : TaskType.values()) {
                meters.add(FunctionCounter.builder(count.meterName, adders[count.ordinal()][type.ordinal()], LongAdder::sum)
                        .tag(TaskMetricNames.TAG_TYPE, type.wire()).register(registry));
            }
        }
        for (Lane lane : Lane.values()) {
            meters.add(laneGauge(registry, TaskMetricNames.LANE_QUEUED, dispatcher, lane, s -> s.queued()));
            meters.add(laneGauge(registry, TaskMetricNames.LANE_RUNNING, dispatcher, lane, s -> s.running()));
            meters.add(laneGauge(registry, TaskMetricNames.LANE_RETRY_WAITING, dispatcher, lane, s -> s.retryWaiting()));
            meters.add(laneGauge(registry, TaskMetricNames.LANE_CAPACITY, dispatcher, lane, s -> s.capacity()));
        }
        meters.add(Gauge.builder(TaskMetricNames.IN_OUTBOX, outbox, TaskMetrics::countOrNaN).register(registry));
        meters.add(Gauge.builder(TaskMetricNames.DEAD_LETTERS, outbox, TaskMetrics::deadOrNaN).register(registry));
        meters.add(Gauge.builder(TaskMetricNames.CACHE_ENTRIES, recall, r -> r.cacheStatus().entries()).register(registry));
        meters.add(FunctionCounter.builder(TaskMetricNames.CACHE_HITS, recall, r -> r.cacheStatus().hits())
                .register(registry));
        meters.add(FunctionCounter.builder(TaskMetricNames.CACHE_MISSES, recall, r -> r.cacheStatus().misses())
                .register(registry));
        meters.add(FunctionCounter.builder(TaskMetricNames.CACHE_EVICTIONS, recall, r -> r.cacheStatus().evictions())
                .register(registry));
        meters.add(Gauge.builder(TaskMetricNames.CACHE_HIT_RATIO, recall, r -> r.cacheStatus().hitRate())
                .register(registry));
        return meters;
    }

    private static Gauge laneGauge(MeterRegistry registry, String name, Dispatcher dispatcher, Lane lane,
                                   ToDoubleFunction<EngineStatus.LaneStatus> figure) {
        return Gauge.builder(name, dispatcher, d -> figure.applyAsDouble(d.laneStatus(lane)))
                .tag(TaskMetricNames.TAG_LANE, lane.wire()).register(registry);
    }

    private static double deadOrNaN(OutboxRepository outbox) {
        try {
            return outbox.countDead();
        } catch (RuntimeException e) {
            log.debug("cannot count the dead letters", e);
            return Double.NaN;
        }
    }

    private static double countOrNaN(OutboxRepository outbox) {
        try {
            return outbox.count();
        } catch (RuntimeException e) {
            log.debug("cannot count the task outbox", e);
            return Double.NaN;
        }
    }
}
