package dev.engram.memory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * Latency of local recall on the reply path: the meter {@code engram.recall} (p50/p95/p99 and a histogram)
 * and its summary for {@code GET /api/status} ({@code count}, {@code p50}, {@code p95}, {@code p99}, {@code max},
 * in milliseconds rounded to 0.01). Thread-safe.
 */
public final class RecallLatency {
    private final Timer timer;

    public RecallLatency(MeterRegistry registry) {
        this.timer = Timer.builder("engram.recall").description("local recall on the reply path")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().register(registry);
    }

    /** Records one recall that started at {@code startNanos} ({@link System#nanoTime()}). */
    public void since(long startNanos) {
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The {@code recall_latency_ms} section of the status. */
    public Map<String, Object> summary() {
        HistogramSnapshot h = timer.takeSnapshot();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", h.count());
        for (ValueAtPercentile p : h.percentileValues()) {
            latency.put("p" + Math.round(p.percentile() * 100), round(p.value(TimeUnit.MILLISECONDS)));
        }
        latency.put("max", round(h.max(TimeUnit.MILLISECONDS)));
        return latency;
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
