package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Sampling follows memory_build_distribution (statistically, with a seeded generator). */
class SampleSchedulerTest {
    private static final List<Double> DEFAULT = List.of(6.0, 3.0, 0.6, 32.0, 12.0, 0.4);

    @Test
    void default_split_is_four_and_four_like_the_original() {
        assertThat(new SampleScheduler(DEFAULT, 8).split(new Random(1))).containsExactly(4, 4);
        assertThat(new SampleScheduler(DEFAULT, 2).split(new Random(1))).containsExactly(1, 1);
        assertThat(new SampleScheduler(List.of(6.0, 3.0, 0.9, 32.0, 12.0, 0.1), 5).split(new Random(1)))
                .containsExactly(4, 1);
    }

    @Test
    void a_zero_weight_mode_gets_no_samples_and_one_sample_stays_one() {
        assertThat(new SampleScheduler(List.of(6.0, 3.0, 1.0, 32.0, 12.0, 0.0), 8).split(new Random(1))).containsExactly(8, 0);
        assertThat(new SampleScheduler(List.of(6.0, 3.0, 0.0, 32.0, 12.0, 1.0), 8).split(new Random(1))).containsExactly(0, 8);
        SampleScheduler single = new SampleScheduler(DEFAULT, 1);
        Random random = new Random(7);
        int mode1 = 0;
        int runs = 4_000;
        for (int i = 0; i < runs; i++) {
            int[] split = single.split(random);
            assertThat(split[0] + split[1]).isEqualTo(1);
            mode1 += split[0];
        }
        // binomial(4000, 0.6): sd ≈ 31, so ± 4 sd is 0.031
        assertThat(mode1 / (double) runs).isCloseTo(0.6, within(0.031));
    }

    @Test
    void drawn_ages_follow_the_two_folded_normals() {
        SampleScheduler scheduler = new SampleScheduler(DEFAULT, 8);
        Random random = new Random(42);
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            for (SampleScheduler.Draw d : scheduler.draws(random)) (d.mode() == 1 ? first : second).add(d.hours());
        }
        assertThat(first).hasSize(20_000).allMatch(h -> h >= 0);
        assertThat(second).hasSize(20_000).allMatch(h -> h >= 0);
        assertThat(mean(first)).isCloseTo(foldedMean(6, 3), within(0.1));     // 6.05
        assertThat(sd(first)).isCloseTo(foldedSd(6, 3), within(0.1));         // 2.90
        assertThat(mean(second)).isCloseTo(foldedMean(32, 12), within(0.35)); // 32.03
        assertThat(sd(second)).isCloseTo(foldedSd(32, 12), within(0.3));      // 11.92
        // quartiles of N(6,3) are 6 ∓ 2.02
        assertThat(quantile(first, 0.25)).isCloseTo(3.98, within(0.15));
        assertThat(quantile(first, 0.75)).isCloseTo(8.02, within(0.15));
        // Kolmogorov–Smirnov against |N(32,12)|: critical value at α = 0.001 for n = 20000 is 0.0138
        assertThat(ksDistance(second, 32, 12)).isLessThan(0.0138);
    }

    @Test
    void sample_times_lie_before_now_oldest_first() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        List<Instant> times = new SampleScheduler(DEFAULT, 8).times(now, new Random(3));
        assertThat(times).hasSize(8).isSorted().allMatch(t -> !t.isAfter(now));
        assertThat(Duration.between(times.getFirst(), now).toHours()).isLessThan(24 * 5);
    }

    @Test
    void the_same_seed_draws_the_same_times() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        SampleScheduler s = new SampleScheduler(DEFAULT, 8);
        assertThat(s.times(now, new Random(9))).isEqualTo(s.times(now, new Random(9)));
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double sd(List<Double> xs) {
        double m = mean(xs);
        return Math.sqrt(xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (xs.size() - 1));
    }

    private static double quantile(List<Double> xs, double q) {
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) (q * (sorted.length - 1))];
    }

    /** E|X| for X ~ N(mu, sigma). */
    private static double foldedMean(double mu, double sigma) {
        return sigma * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * sigma * sigma)) + mu * (1 - 2 * normalCdf(-mu / sigma));
    }

    /** sd of |X| for X ~ N(mu, sigma): E X² = mu² + sigma². */
    private static double foldedSd(double mu, double sigma) {
        double m = foldedMean(mu, sigma);
        return Math.sqrt(mu * mu + sigma * sigma - m * m);
    }

    /** Largest gap between the empirical CDF and the CDF of |N(mean, sd)|. */
    private static double ksDistance(List<Double> xs, double mean, double sd) {
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double d = 0;
        for (int i = 0; i < sorted.length; i++) {
            double f = normalCdf((sorted[i] - mean) / sd) - normalCdf((-sorted[i] - mean) / sd); // folded
            d = Math.max(d, Math.max(Math.abs(f - (double) i / sorted.length), Math.abs(f - (i + 1.0) / sorted.length)));
        }
        return d;
    }

    /** Φ(z) by the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e-7). */
    private static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

}
