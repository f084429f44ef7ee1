package dev.engram.memory.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * When a build samples history: the original's bimodal distribution ({@code memory_build_distribution}).
 * {@code sampleNum} times are split between the two modes by weight (n1 = ⌊N·w1/(w1+w2)⌋, kept within
 * 1..N−1 when both weights are positive, as the original's {@code max(1, …)} did for N ≥ 2; a single
 * sample picks its mode with probability w1/(w1+w2) instead of becoming two samples); each draws an age
 * of |Normal(mean, std)| hours. Stateless; thread-safe if the random generator is.
 */
final class SampleScheduler {
    /** One drawn age: which mode (1 or 2) and how many hours before now. */
    record Draw(int mode, double hours) {
    }

    private final double mean1;
    private final double std1;
    private final double w1;
    private final double mean2;
    private final double std2;
    private final double w2;
    private final int sampleNum;

    SampleScheduler(List<Double> distribution, int sampleNum) {
        this.mean1 = distribution.get(0);
        this.std1 = distribution.get(1);
        this.w1 = distribution.get(2);
        this.mean2 = distribution.get(3);
        this.std2 = distribution.get(4);
        this.w2 = distribution.get(5);
        this.sampleNum = sampleNum;
    }

    /** How many samples each mode gets: {@code {n1, n2}}, summing to {@code sampleNum}. */
    int[] split(RandomGenerator random) {
        int n = sampleNum;
        if (w2 == 0) return new int[] {n, 0};
        if (w1 == 0) return new int[] {0, n};
        if (n == 1) return random.nextDouble() < w1 / (w1 + w2) ? new int[] {1, 0} : new int[] {0, 1};
        int n1 = Math.min(n - 1, Math.max(1, (int) (n * w1 / (w1 + w2))));
        return new int[] {n1, n - n1};
    }

    /** The ages of one build's samples, mode 1 first. */
    List<Draw> draws(RandomGenerator random) {
        int[] split = split(random);
        List<Draw> out = new ArrayList<>(sampleNum);
        for (int i = 0; i < split[0]; i++) out.add(new Draw(1, Math.abs(mean1 + std1 * random.nextGaussian())));
        for (int i = 0; i < split[1]; i++) out.add(new Draw(2, Math.abs(mean2 + std2 * random.nextGaussian())));
        return out;
    }

    /** The sample times of one build, oldest first. */
    List<Instant> times(Instant now, RandomGenerator random) {
        List<Instant> out = new ArrayList<>(sampleNum);
        for (Draw d : draws(random)) out.add(now.minus(Duration.ofMillis(Math.round(d.hours() * 3_600_000))));
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
