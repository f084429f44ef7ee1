package dev.engram.bench.fakellm;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A latency distribution for {@link FakeLlmServer}: fixed, uniform or normal (clamped at zero). Sampling
 * is deterministic for a given random generator state. Implementations are immutable records.
 */
public sealed interface LatencySpec permits LatencySpec.Fixed, LatencySpec.Uniform, LatencySpec.Normal {

    /** @return one latency drawn with {@code random}; never negative */
    Duration sample(RandomGenerator random);

    /** @return always {@code value} */
    static LatencySpec fixed(Duration value) {
        return new Fixed(value);
    }

    /** @return uniformly distributed in {@code [min, max]} */
    static LatencySpec uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    /** @return normally distributed with {@code mean} and standard deviation {@code sd}, clamped at zero */
    static LatencySpec normal(Duration mean, Duration sd) {
        return new Normal(mean, sd);
    }

    /** @param value the latency, &gt;= 0 */
    record Fixed(Duration value) implements LatencySpec {
        public Fixed {
            requireNonNegative(value, "value");
        }

        @Override
        public Duration sample(RandomGenerator random) {
            return value;
        }
    }

    /**
     * @param min lower bound, &gt;= 0
     * @param max upper bound, &gt;= min
     */
    record Uniform(Duration min, Duration max) implements LatencySpec {
        public Uniform {
            requireNonNegative(min, "min");
            requireNonNegative(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max must be >= min, was " + min + " > " + max);
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            long span = max.toNanos() - min.toNanos();
            return Duration.ofNanos(min.toNanos() + (span == 0 ? 0 : (long) (random.nextDouble() * (span + 1))));
        }
    }

    /**
     * @param mean the mean, &gt;= 0
     * @param sd   the standard deviation, &gt;= 0
     */
    record Normal(Duration mean, Duration sd) implements LatencySpec {
        public Normal {
            requireNonNegative(mean, "mean");
            requireNonNegative(sd, "sd");
        }

        @Override
        public Duration sample(RandomGenerator random) {
            double nanos = mean.toNanos() + random.nextGaussian() * sd.toNanos();
            return Duration.ofNanos(Math.max(0L, Math.round(nanos)));
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + d);
        }
    }
}
