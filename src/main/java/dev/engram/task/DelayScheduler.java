package dev.engram.task;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action after a delay: the engine's only source of waiting (retry backoff, attempt timeouts,
 * retrieval deadlines, drain deadline, periodic tasks). Actions must be short; they run on the
 * scheduler's thread. Tests pass a fake that they advance by hand together with a fake clock.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface DelayScheduler {
    /** Schedules {@code action} after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Duration delay, Runnable action);

    /** A handle that prevents a scheduled action from running if it has not started yet. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Delays on a scheduled executor the caller owns. */
    static DelayScheduler of(ScheduledExecutorService executor) {
        return (delay, action) -> {
            var future = executor.schedule(action, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
