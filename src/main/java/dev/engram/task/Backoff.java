package dev.engram.task;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** The retry delay rule of {@link TaskPolicy}. Stateless. */
final class Backoff {
    private Backoff() {
    }

    /**
     * The delay before the attempt after failed attempt {@code failedAttempt} (1-based):
     * {@code min(base · 2^(n-1), max) · (1 - jitter · u)} with {@code u} uniform in [0, 1).
     */
    static Duration delay(TaskPolicy policy, int failedAttempt, RandomGenerator random) {
        double exponential = policy.backoffBase().toNanos() * Math.pow(2, Math.min(failedAttempt - 1, 62));
        double capped = Math.min(exponential, policy.backoffMax().toNanos());
        double factor = policy.jitter() == 0 ? 1 : 1 - policy.jitter() * random.nextDouble();
        return Duration.ofNanos((long) (capped * factor));
    }
}
