package dev.engram.task;

import java.time.Duration;

/**
 * How often the engine submits maintenance on its own (the seed's {@code memory_build_interval},
 * {@code forget_memory_interval}, {@code consolidate_memory_interval}); {@code null} turns one off.
 * A tick is skipped while the task submitted by the previous tick has not finished.
 */
public record PeriodicSchedule(Duration build, Duration forget, Duration consolidate) {
    public PeriodicSchedule {
        for (Duration d : new Duration[] {build, forget, consolidate}) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new IllegalArgumentException("periodic intervals must be > 0 (was " + d + ")");
            }
        }
    }

    /** No periodic tasks. */
    public static PeriodicSchedule none() {
        return new PeriodicSchedule(null, null, null);
    }

    Duration interval(TaskType type) {
        return switch (type) {
            case BUILD -> build;
            case FORGET -> forget;
            case CONSOLIDATE -> consolidate;
            case STORE, RETRIEVE, PREFETCH -> null;
        };
    }
}
