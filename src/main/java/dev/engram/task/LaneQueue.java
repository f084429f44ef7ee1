package dev.engram.task;

import java.util.List;

/**
 * The waiting tasks and counters of one lane. Not thread-safe: used only under the {@link Dispatcher}'s
 * lock.
 *
 * <p>Invariants: {@code queued() + retryWaiting <= bound} except transiently for retries, which reuse the
 * slot their task already held; {@code running <= concurrency}. While {@code spilled}, newer durable
 * tasks of the lane are in the outbox only and enter the lane through outbox pulls in {@code seq} order,
 * starting after {@code cursor}.
 */
abstract sealed class LaneQueue permits FifoLaneQueue, ChatLaneQueue {
    final Lane lane;
    final int concurrency;
    final int bound;
    int running;
    int retryWaiting;
    boolean spilled;
    /** Counts admissions left in the outbox; a pull may clear {@code spilled} only if none happened meanwhile. */
    long spillEpoch;
    /** Outbox sequence number up to which pulls have looked. */
    long cursor;

    LaneQueue(Lane lane, int concurrency, int bound) {
        this.lane = lane;
        this.concurrency = concurrency;
        this.bound = bound;
    }

    abstract int queued();

    /** Adds a task at the tail. */
    abstract void enqueue(Job job);

    /** Puts back a task whose retry wait ended. */
    abstract void requeue(Job job);

    /** The task that would run next, or {@code null} if none may run now. */
    abstract Job peek();

    /** Removes and returns {@link #peek()}'s task. */
    abstract Job poll();

    /** A task of this lane reached a final state after running. */
    abstract void done(Job job);

    /** Removes every waiting task (shutdown). */
    abstract List<Job> clear();

    int occupancy() {
        return queued() + retryWaiting;
    }

    boolean hasRoom() {
        return occupancy() < bound;
    }

    EngineStatus.LaneStatus status() {
        return new EngineStatus.LaneStatus(queued(), running, retryWaiting, concurrency, bound, spilled);
    }
}
