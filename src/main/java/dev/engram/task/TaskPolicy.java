package dev.engram.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeout and retry rules for one task type.
 *
 * <p>Attempt {@code n} (1-based) is cut off after {@code timeout}. A retriable failure of attempt
 * {@code n < maxAttempts} is retried after {@code min(backoffBase · 2^(n-1), backoffMax)}, shortened by a
 * random fraction of at most {@code jitter} (so delays spread out but never exceed {@code backoffMax}).
 */
public record TaskPolicy(Duration timeout, int maxAttempts, Duration backoffBase, Duration backoffMax,
                         double jitter) {
    public TaskPolicy {
        requirePositive(timeout, "timeout");
        if (maxAttempts < 1) throw new IllegalArgumentException("max_attempts must be >= 1 (was " + maxAttempts + ")");
        requirePositive(backoffBase, "backoff_base");
        requirePositive(backoffMax, "backoff_max");
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoff_max must be >= backoff_base (was " + backoffMax + " < "
                    + backoffBase + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1] (was " + jitter + ")");
        }
    }

    static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0 (was " + d + ")");
    }
}
