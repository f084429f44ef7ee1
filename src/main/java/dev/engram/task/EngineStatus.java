package dev.engram.task;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of the task engine (the {@code "tasks"} part of {@code GET /api/status}); the same figures
 * are published as meters named in {@link TaskMetricNames}.
 *
 * @param accepting   whether the engine takes new tasks (started and not closing)
 * @param deadLetters the most recent dead letters, newest first (at most {@link #DEAD_LETTERS_SHOWN}; all of
 *                    them through {@code GET /api/tasks?state=dead}), in the shape of {@code GET /api/tasks/{id}}
 */
public record EngineStatus(boolean accepting, LaneStatus interactive, LaneStatus ingest, LaneStatus maintenance,
                           Totals totals, CacheStatus cache, List<TaskView> deadLetters) {
    /** Dead letters a status shows at most. */
    public static final int DEAD_LETTERS_SHOWN = 20;

    public EngineStatus {
        Objects.requireNonNull(interactive, "interactive");
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(maintenance, "maintenance");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(cache, "cache");
        deadLetters = List.copyOf(deadLetters);
    }

    /** The status of one lane by name. */
    public LaneStatus lane(Lane lane) {
        return switch (lane) {
            case INTERACTIVE -> interactive;
            case INGEST -> ingest;
            case MAINTENANCE -> maintenance;
        };
    }

    /**
     * One lane.
     *
     * @param queued       tasks waiting in memory
     * @param running      tasks running now
     * @param retryWaiting tasks waiting for their next attempt
     * @param capacity     tasks allowed to run at once
     * @param queueBound   tasks allowed to wait in memory
     * @param spilled      whether newer durable tasks wait in the outbox only (backpressure or replay)
     */
    public record LaneStatus(int queued, int running, int retryWaiting, int capacity, int queueBound,
                             boolean spilled) {
    }

    /**
     * Counts since the engine was built.
     *
     * @param rejected tasks not taken because a lane was full or the engine stopping (including retrievals
     *                 answered at once as skipped)
     * @param inOutbox durable tasks not finished (queued, running, waiting to retry), as the outbox table
     *                 counts them now; dead letters not included (-1 if the table cannot be read)
     * @param deadLettersCount dead letters now: durable tasks that failed for good, kept for a retry or a
     *                 purge (-1 if the table cannot be read)
     */
    public record Totals(long submitted, long succeeded, long failed, long retried, long dead, long cancelled,
                         long rejected, long inOutbox, long deadLettersCount) {
    }

    /** The retrieval result cache. {@code hitRate} is hits / (hits + misses), 0 before the first lookup. */
    public record CacheStatus(long entries, long hits, long misses, long evictions, double hitRate) {
    }
}
