package dev.engram.task;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The three lanes and the worker permits, and the choice of what runs next. Not thread-safe: owned by
 * {@link Dispatcher}, which calls it under its lock.
 *
 * <p>Choice ({@link #pick()}, done whenever a permit or a task appears):
 * <ol>
 *   <li>A lane may start a task if it runs fewer than its concurrency; a background lane (ingest,
 *       maintenance) also needs a permit outside the {@code reservedInteractive} ones.</li>
 *   <li>Among the heads of those lanes, the smallest rank wins: enqueue time minus priority × aging
 *       interval. Waiting one aging interval is worth one priority level, so low priorities never starve;
 *       equal ranks go by arrival ({@code seq}).</li>
 *   <li>Repeat while permits are free.</li>
 * </ol>
 * Invariants: {@code running <= workerPermits}; {@code backgroundRunning <= workerPermits -
 * reservedInteractive}; a task is in exactly one place: a lane queue, running, waiting to retry, or final.
 */
final class LaneSet {
    private final Clock clock;
    private final long agingMillis;
    private final int workerPermits;
    private final int backgroundPermits;
    private final Map<Lane, LaneQueue> lanes = new EnumMap<>(Lane.class);
    private final TaskRegistry registry;
    private int running;
    private int backgroundRunning;
    /** Cleared when the engine stops starting tasks (drain deadline passed, or crash). */
    boolean dispatching = true;

    LaneSet(TaskEngineSettings settings, Clock clock, TaskRegistry registry) {
        this.clock = clock;
        this.agingMillis = settings.agingInterval().toMillis();
        this.workerPermits = settings.workerPermits();
        this.backgroundPermits = settings.workerPermits() - settings.reservedInteractive();
        this.registry = registry;
        for (Lane lane : Lane.values()) {
            int concurrency = settings.concurrency(lane);
            int bound = settings.queueBound(lane);
            LaneQueue q = lane == Lane.INGEST ? new ChatLaneQueue(lane, concurrency, bound)
                    : new FifoLaneQueue(lane, concurrency, bound);
            q.spilled = lane != Lane.INTERACTIVE; // durable lanes start by replaying the outbox
            lanes.put(lane, q);
        }
    }

    LaneQueue lane(Lane lane) {
        return lanes.get(lane);
    }

    /** Puts a task at the tail of its lane and makes it visible to {@code find}. */
    void enqueue(Job job) {
        job.rank = rank(job);
        lanes.get(job.type.lane()).enqueue(job);
        registry.track(job);
    }

    /** Puts back a task whose retry wait ended. */
    void requeue(Job job) {
        LaneQueue q = lanes.get(job.type.lane());
        q.retryWaiting--;
        job.rank = rank(job);
        q.requeue(job);
    }

    /** Gives back the permit of a task that stopped running. */
    void release(Job job) {
        LaneQueue q = lanes.get(job.type.lane());
        q.running--;
        running--;
        if (q.lane != Lane.INTERACTIVE) backgroundRunning--;
    }

    boolean idle() {
        if (running > 0) return false;
        for (LaneQueue q : lanes.values()) {
            if (q.queued() > 0) return false;
        }
        return true;
    }

    /** Steps 1–3 of the class comment: the tasks to start now, already moved to RUNNING. */
    List<Job> pick() {
        List<Job> start = null;
        while (dispatching && running < workerPermits) {
            LaneQueue best = null;
            Job bestJob = null;
            for (LaneQueue q : lanes.values()) {
                if (q.running >= q.concurrency) continue;
                if (q.lane != Lane.INTERACTIVE && backgroundRunning >= backgroundPermits) continue;
                Job head = q.peek();
                if (head != null && (bestJob == null || head.rank < bestJob.rank
                        || (head.rank == bestJob.rank && head.seq < bestJob.seq))) {
                    best = q;
                    bestJob = head;
                }
            }
            if (best == null) break;
            best.poll();
            best.running++;
            running++;
            if (best.lane != Lane.INTERACTIVE) backgroundRunning++;
            bestJob.moveTo(TaskState.RUNNING, clock.instant(), null);
            if (start == null) start = new ArrayList<>();
            start.add(bestJob);
        }
        return start == null ? List.of() : start;
    }

    /**
     * Applies outbox rows read after {@code ticket.cursor()} (seq order, at most {@code pageSize}): skips
     * rows of other lanes, rows without a task and tasks already known, enqueues the rest while there is
     * room, and clears {@code spilled} once the outbox is exhausted and nothing was spilled meanwhile.
     *
     * @return whether another page should be read now
     */
    boolean applyPull(Dispatcher.PullTicket ticket, List<Dispatcher.PulledRow> rows, int pageSize) {
        LaneQueue q = lanes.get(ticket.lane());
        if (q.cursor != ticket.cursor()) return false;
        boolean blocked = false;
        for (Dispatcher.PulledRow row : rows) {
            if (row.lane() == ticket.lane() && row.job() != null && !registry.isKnown(row.id())) {
                if (q.hasRoom()) {
                    enqueue(row.job());
                } else {
                    blocked = true;
                    break;
                }
            }
            q.cursor = row.seq();
        }
        if (!blocked && rows.size() < pageSize && q.spillEpoch == ticket.epoch()) q.spilled = false;
        return !blocked && rows.size() == pageSize;
    }

    /** Removes every queued task and moves it to CANCELLED (outbox rows stay). */
    List<Job> cancelQueued(String reason) {
        List<Job> cancelled = new ArrayList<>();
        for (LaneQueue q : lanes.values()) {
            for (Job job : q.clear()) {
                job.moveTo(TaskState.CANCELLED, clock.instant(), reason);
                registry.finish(job.view());
                cancelled.add(job);
            }
        }
        return cancelled;
    }

    private long rank(Job job) {
        return clock.millis() - job.type.priority() * agingMillis;
    }
}
