package dev.engram.surface;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * Requests handled per surface, shared by every surface: the {@code engram.surface.requests} timer (tags
 * {@code surface}, {@code operation}, {@code outcome}) for {@code /metrics}, and per surface the
 * {@code engram.surface.latency} timer whose median and 99th percentile {@link #snapshot()} reports for
 * {@code /api/status}. Outcomes {@value #OK}, {@code duplicate}, {@code observed} and {@code ignored} are
 * successes; any other outcome counts as an error. Thread-safe; never throws into a request.
 */
public final class SurfaceMetrics {
    public static final String OK = "ok";
    private static final Set<String> SUCCESSES = Set.of(OK, "duplicate", "observed", "ignored");

    private final MeterRegistry registry;

    public SurfaceMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Records one handled request of {@code surface} (e.g. {@code onebot}), e.g. operation {@code message}. */
    public void record(String surface, String operation, String outcome, Duration took) {
        long nanos = Math.max(0, took.toNanos());
        Timer.builder("engram.surface.requests")
                .description("requests handled by a surface")
                .tag("surface", surface).tag("operation", operation).tag("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        latency(surface).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Per surface: {@code requests}, {@code errors}, {@code p50_ms}, {@code p99_ms} (of all its requests). */
    public Map<String, Object> snapshot() {
        Map<String, long[]> counts = new TreeMap<>();
        for (Timer t : registry.find("engram.surface.requests").timers()) {
            long[] c = counts.computeIfAbsent(t.getId().getTag("surface"), k -> new long[2]);
            c[0] += t.count();
            if (!SUCCESSES.contains(t.getId().getTag("outcome"))) c[1] += t.count();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        counts.forEach((surface, c) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("requests", c[0]);
            s.put("errors", c[1]);
            for (ValueAtPercentile p : latency(surface).takeSnapshot().percentileValues()) {
                s.put(p.percentile() == 0.5 ? "p50_ms" : "p99_ms", Math.round(p.value(TimeUnit.MILLISECONDS) * 100) / 100.0);
            }
            out.put(surface, s);
        });
        return out;
    }

    private Timer latency(String surface) {
        return Timer.builder("engram.surface.latency")
                .description("latency of all requests of a surface")
                .tag("surface", surface)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }
}
