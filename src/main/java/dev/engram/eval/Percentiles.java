package dev.engram.eval;

import java.util.Arrays;

/** Nearest-rank percentiles. Pure; thread-safe. */
public final class Percentiles {
    private Percentiles() {
    }

    /**
     * @param values samples (not modified)
     * @param p      the percentile, in (0, 100]
     * @return the smallest sample with at least {@code p}% of the samples at or below it; 0 for no samples
     */
    public static long of(long[] values, double p) {
        if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        if (values.length == 0) return 0;
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
