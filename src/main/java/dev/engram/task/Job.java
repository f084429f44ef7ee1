package dev.engram.task;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One task inside the engine.
 *
 * <p>Concurrency: {@code state}, {@code error}, {@code updatedAt}, {@code rank} and {@code retryTimer} are
 * written only under the {@link Dispatcher}'s lock; the first three are volatile so {@code find} and
 * {@code status} read them without it. {@code attempts} is written only by the thread running the
 * attempt. The attempt handle is claimed by compare-and-set because the timeout timer races with the
 * worker: whoever claims it decides whether the attempt finished or timed out.
 */
final class Job {
    final TaskId id;
    final MemoryTask task;
    final TaskType type;
    /** Engine-wide arrival order: breaks ties between equal ranks, so equal priorities run FIFO. */
    final long seq;
    final Instant submittedAt;
    /** The retrieval's result (of the engine's result type), completed exactly once; {@code null} for other types. */
    final CompletableFuture<Object> result;

    private volatile TaskState state = TaskState.QUEUED;
    private volatile int attempts;
    private volatile String error;
    private volatile Instant updatedAt;
    /** Scheduling key: enqueue time minus priority × aging interval; smaller runs first. */
    long rank;
    DelayScheduler.Cancellable retryTimer;

    private final AtomicReference<Attempt> current = new AtomicReference<>();
    private volatile boolean stopRequested;

    private record Attempt(Thread thread, int number) {
    }

    Job(TaskId id, MemoryTask task, long seq, Instant submittedAt, int priorAttempts, CompletableFuture<Object> result) {
        this.id = id;
        this.task = task;
        this.type = task.type();
        this.seq = seq;
        this.submittedAt = submittedAt;
        this.attempts = priorAttempts;
        this.result = result;
        this.updatedAt = submittedAt;
    }

    TaskState state() {
        return state;
    }

    int attempts() {
        return attempts;
    }

    void moveTo(TaskState to, Instant at, String error) {
        TaskState.requireTransition(id, state, to);
        state = to;
        updatedAt = at;
        if (error != null) this.error = error;
    }

    /** Starts the next attempt on {@code thread}; returns its number. */
    int beginAttempt(Thread thread) {
        int n = attempts + 1;
        attempts = n;
        current.set(new Attempt(thread, n));
        return n;
    }

    /** Ends the attempt; {@code false} if the timeout claimed it first (the attempt timed out). */
    boolean endAttempt() {
        return current.getAndSet(null) != null;
    }

    /** Timeout of attempt {@code number}: claims the attempt and interrupts its thread, unless it ended. */
    void timeOut(int number) {
        Attempt a = current.get();
        if (a != null && a.number() == number && current.compareAndSet(a, null)) a.thread().interrupt();
    }

    /** Shutdown past the drain deadline: interrupt the running attempt and let it end as cancelled. */
    void requestStop() {
        stopRequested = true;
        Attempt a = current.get();
        if (a != null) a.thread().interrupt();
    }

    boolean stopRequested() {
        return stopRequested;
    }

    String chatId() {
        return switch (task) {
            case MemoryTask.Store s -> s.chatId();
            case MemoryTask.Retrieve r -> r.chatId();
            case MemoryTask.Build b -> null;
            case MemoryTask.Forget f -> null;
            case MemoryTask.Consolidate c -> null;
            case MemoryTask.Prefetch p -> p.chatId();
        };
    }

    TaskView view() {
        return new TaskView(id, type, state, attempts, error, chatId(), submittedAt, updatedAt);
    }
}
