package dev.engram.task;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Moves tasks between the lanes, the workers and the retry waits; the scheduling policy itself is
 * {@link LaneSet}.
 *
 * <p>Concurrency: thread-safe. {@code lock} guards the {@link LaneSet}, {@code accepting} and every
 * task's scheduling state. Tasks picked under the lock are handed to the worker executor, and outbox
 * pulls requested, only after it is released, so no foreign code runs under the lock.
 */
final class Dispatcher {
    /** A pull's view of a spilled lane when it started reading the outbox. */
    record PullTicket(Lane lane, long cursor, long epoch, int room) {
    }

    /**
     * An outbox row read by a pull: a task to run ({@code job}), or a row to skip ({@code job == null}: of
     * another lane, or a dead letter the feeder marked, or one this engine cannot place).
     */
    record PulledRow(long seq, Lane lane, TaskId id, Job job) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Clock clock;
    private final LaneSet lanes;
    private final TaskRegistry registry;
    private final Executor workers;
    private final Consumer<Job> runner;
    private final Consumer<Job> launchRejected;
    private final Runnable pullRequest;
    private boolean accepting;

    Dispatcher(TaskEngineSettings settings, Clock clock, TaskRegistry registry, Executor workers,
               Consumer<Job> runner, Consumer<Job> launchRejected, Runnable pullRequest) {
        this.clock = clock;
        this.lanes = new LaneSet(settings, clock, registry);
        this.registry = registry;
        this.workers = workers;
        this.runner = runner;
        this.launchRejected = launchRejected;
        this.pullRequest = pullRequest;
    }

    /** Opens intake (engine start). */
    void open() {
        lock.lock();
        try {
            accepting = true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a non-durable task if intake is open and its lane has room. */
    boolean offer(Job job) {
        List<Job> start;
        lock.lock();
        try {
            if (!accepting || !lanes.lane(job.type.lane()).hasRoom()) return false;
            lanes.enqueue(job);
            start = lanes.pick();
        } finally {
            lock.unlock();
        }
        launch(start);
        return true;
    }

    /**
     * Takes a durable task whose outbox row is committed. If its lane is spilled or full, the task stays in
     * the outbox only, and a pull brings it in later in outbox order (which keeps each chat's FIFO).
     */
    void admit(Job job) {
        List<Job> start = List.of();
        boolean pull = false;
        lock.lock();
        try {
            LaneQueue q = lanes.lane(job.type.lane());
            if (!accepting || registry.isKnown(job.id)) return;
            if (q.spilled || !q.hasRoom()) {
                q.spilled = true;
                q.spillEpoch++;
                pull = q.hasRoom();
            } else {
                lanes.enqueue(job);
                start = lanes.pick();
            }
        } finally {
            lock.unlock();
        }
        launch(start);
        if (pull) pullRequest.run();
    }

    /**
     * Rows were claimed for this instance (cluster mode, where durable tasks are never admitted directly):
     * both durable lanes now read the outbox, in claim order, until they caught up. The caller requests the pull.
     */
    void claimed() {
        lock.lock();
        try {
            if (!accepting) return;
            for (Lane lane : List.of(Lane.INGEST, Lane.MAINTENANCE)) {
                LaneQueue q = lanes.lane(lane);
                q.spilled = true;
                q.spillEpoch++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** RUNNING → RETRY_WAIT: frees the permit; an ingest chat stays blocked until the task is final. */
    void retryWait(Job job, String error) {
        List<Job> start;
        lock.lock();
        try {
            lanes.release(job);
            job.moveTo(TaskState.RETRY_WAIT, clock.instant(), error);
            lanes.lane(job.type.lane()).retryWaiting++;
            start = lanes.pick();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        launch(start);
    }

    /** Records the timer of a retry wait, so shutdown can cancel it. */
    void retryTimer(Job job, DelayScheduler.Cancellable timer) {
        lock.lock();
        try {
            if (job.state() == TaskState.RETRY_WAIT) {
                job.retryTimer = timer;
            } else {
                timer.cancel();
            }
        } finally {
            lock.unlock();
        }
    }

    /** RETRY_WAIT → QUEUED when the backoff elapsed; ignored if the task was cancelled meanwhile. */
    void requeue(Job job) {
        List<Job> start;
        lock.lock();
        try {
            if (job.state() != TaskState.RETRY_WAIT) return;
            job.retryTimer = null;
            job.moveTo(TaskState.QUEUED, clock.instant(), null);
            lanes.requeue(job);
            start = lanes.pick();
        } finally {
            lock.unlock();
        }
        launch(start);
    }

    /** RUNNING → a final state; returns the final view. */
    TaskView finish(Job job, TaskState state, String error) {
        List<Job> start;
        TaskView view;
        boolean pull;
        lock.lock();
        try {
            LaneQueue q = lanes.lane(job.type.lane());
            lanes.release(job);
            job.moveTo(state, clock.instant(), error);
            q.done(job);
            view = job.view();
            registry.finish(view);
            pull = accepting && q.spilled && q.occupancy() <= q.bound / 2;
            start = lanes.pick();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        launch(start);
        if (pull) pullRequest.run();
        return view;
    }

    /** Starts a pull of a spilled lane, or returns {@code null} if it needs none or has no room. */
    PullTicket beginPull(Lane lane) {
        lock.lock();
        try {
            LaneQueue q = lanes.lane(lane);
            int room = q.bound - q.occupancy();
            if (!accepting || !q.spilled || room <= 0) return null;
            return new PullTicket(lane, q.cursor, q.spillEpoch, room);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link LaneSet#applyPull}; returns whether another page should be read now. */
    boolean applyPull(PullTicket ticket, List<PulledRow> rows, int pageSize) {
        List<Job> start;
        boolean more;
        lock.lock();
        try {
            if (!accepting) return false;
            more = lanes.applyPull(ticket, rows, pageSize);
            start = lanes.pick();
        } finally {
            lock.unlock();
        }
        launch(start);
        return more;
    }

    /** Closes intake: nothing new is taken and nothing more is pulled; queued tasks still run. */
    void stopIntake() {
        lock.lock();
        try {
            accepting = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Cancels every task waiting for a retry (their outbox rows stay); returns them. */
    List<Job> cancelRetryWaiting() {
        List<Job> cancelled = new ArrayList<>();
        lock.lock();
        try {
            for (Job job : registry.liveJobs()) {
                if (job.state() != TaskState.RETRY_WAIT) continue;
                if (job.retryTimer != null) job.retryTimer.cancel();
                lanes.lane(job.type.lane()).retryWaiting--;
                job.moveTo(TaskState.CANCELLED, clock.instant(), "engine stopped during the retry wait");
                registry.finish(job.view());
                cancelled.add(job);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return cancelled;
    }

    /** Waits until nothing is queued or running, or {@code expired} says stop; returns whether idle. */
    boolean awaitIdle(BooleanSupplier expired) {
        lock.lock();
        try {
            while (!lanes.idle() && !expired.getAsBoolean()) changed.awaitUninterruptibly();
            return lanes.idle();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether no task is queued, running or waiting to retry in any lane, and no durable lane is spilled
     * (so no acknowledged task waits in the outbox only).
     */
    boolean isIdle() {
        lock.lock();
        try {
            if (!lanes.idle()) return false;
            for (Lane lane : Lane.values()) {
                LaneQueue q = lanes.lane(lane);
                if (q.retryWaiting > 0 || q.spilled) return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #awaitIdle} to re-check its deadline. */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops starting tasks and cancels every queued one (their outbox rows stay); returns them. */
    List<Job> halt() {
        lock.lock();
        try {
            accepting = false;
            lanes.dispatching = false;
            return lanes.cancelQueued("engine stopped before the task ran");
        } finally {
            lock.unlock();
        }
    }

    /** Tasks running now. */
    List<Job> runningJobs() {
        lock.lock();
        try {
            return registry.liveJobs().stream().filter(j -> j.state() == TaskState.RUNNING).toList();
        } finally {
            lock.unlock();
        }
    }

    EngineStatus.LaneStatus laneStatus(Lane lane) {
        lock.lock();
        try {
            return lanes.lane(lane).status();
        } finally {
            lock.unlock();
        }
    }

    /** The ingest lane's per-chat bookkeeping size (tests of boundedness). */
    int ingestChats() {
        lock.lock();
        try {
            return ((ChatLaneQueue) lanes.lane(Lane.INGEST)).chatCount();
        } finally {
            lock.unlock();
        }
    }

    private void launch(List<Job> jobs) {
        for (Job job : jobs) {
            try {
                workers.execute(() -> runner.accept(job));
            } catch (RejectedExecutionException e) {
                launchRejected.accept(job);
            }
        }
    }
}
