package dev.engram.bench;

import java.time.Duration;

/**
 * Figures of one {@link EngineBench} run.
 *
 * @param throughput      tasks per second, from the first submit to the last handler start
 * @param latencySamples  tasks measured in the latency phase
 * @param p50Millis       median submit-to-start time in the latency phase
 * @param p99Millis       99th percentile submit-to-start time in the latency phase
 * @param maxMillis       worst submit-to-start time in the latency phase
 * @param ackP99Millis    99th percentile of the {@code submit} call alone (durable: the outbox commit)
 */
public record EngineBenchResult(EngineBenchOptions.Mix mix, int tasks, Duration elapsed, double throughput,
                                int latencyRate, int latencySamples, double p50Millis, double p99Millis,
                                double maxMillis, double ackP99Millis) {

    /** Whether the run meets the targets of issue 3: ≥ 50,000 tasks/s and p99 ≤ 5 ms. */
    public boolean meetsTargets() {
        return throughput >= 50_000 && p99Millis <= 5;
    }

    /** One line for logs and the README. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "%s: %,d tasks in %d ms = %,.0f tasks/s; submit-to-start at %,d/s: p50 %.3f ms, p99 %.3f ms, max %.3f ms"
                        + " (%,d samples; submit call p99 %.3f ms)",
                mix.name().toLowerCase(java.util.Locale.ROOT), tasks, elapsed.toMillis(), throughput, latencyRate,
                p50Millis, p99Millis, maxMillis, latencySamples, ackP99Millis);
    }
}
