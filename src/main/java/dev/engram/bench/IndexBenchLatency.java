package dev.engram.bench;

import java.util.Arrays;

/**
 * Latency percentiles of one measured operation, in milliseconds (nearest-rank percentiles).
 *
 * @param count how many operations were measured
 */
public record IndexBenchLatency(int count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    /** Percentiles of the first {@code n} entries of {@code nanos} (the array is sorted in place). */
    static IndexBenchLatency of(long[] nanos, int n) {
        if (n == 0) return new IndexBenchLatency(0, 0, 0, 0, 0);
        Arrays.sort(nanos, 0, n);
        return new IndexBenchLatency(n, at(nanos, n, 0.50), at(nanos, n, 0.95), at(nanos, n, 0.99), nanos[n - 1] / 1e6);
    }

    private static double at(long[] sorted, int n, double q) {
        int rank = (int) Math.ceil(q * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
    }

    /** {@code p50 / p95 / p99 / max} for a table. */
    String row() {
        return String.format("%8.2f %8.2f %8.2f %8.2f   (n=%d)", p50Ms, p95Ms, p99Ms, maxMs, count);
    }
}
