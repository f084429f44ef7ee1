package dev.engram.llm.openai;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A semaphore that never blocks: {@link #acquire()} returns a future completed with a {@link Permit} at once
 * when one is free, else later, in FIFO order, when a holder {@link Permit#release() releases}.
 *
 * <p>Concurrency: {@code available} and {@code waiters} change together under {@code lock}; waiters are
 * completed outside the lock (their continuations may run on the releasing thread). A waiter whose future
 * was cancelled (its caller timed out) is skipped, so its permit passes to the next one.
 * Invariants: {@code 0 <= available <= limit}; {@code available > 0} implies no live waiter; every permit
 * handed out is released at most once.
 */
final class AsyncBulkhead {

    /** The right to make one call; release exactly once (further releases are ignored). */
    final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        void release() {
            if (released.compareAndSet(false, true)) {
                AsyncBulkhead.this.release();
            }
        }
    }

    private final Object lock = new Object();
    private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
    private final int limit;
    private int available;

    AsyncBulkhead(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
        this.available = limit;
    }

    /** @return a future completed with a permit when one is free; cancel it to stop waiting */
    CompletableFuture<Permit> acquire() {
        CompletableFuture<Permit> waiter = new CompletableFuture<>();
        synchronized (lock) {
            if (available == 0) {
                waiters.addLast(waiter);
                return waiter;
            }
            available--;
        }
        waiter.complete(new Permit());
        return waiter;
    }

    /** @return the number of permits */
    int capacity() {
        return limit;
    }

    /** @return permits currently held */
    int inUse() {
        synchronized (lock) {
            return limit - available;
        }
    }

    /** @return callers waiting for a permit (including cancelled ones not yet skipped) */
    int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    private void release() {
        while (true) {
            CompletableFuture<Permit> next;
            synchronized (lock) {
                next = waiters.pollFirst();
                if (next == null) {
                    available++;
                    return;
                }
            }
            if (next.complete(new Permit())) {
                return;
            }
            // the waiter gave up (cancelled or timed out); offer the permit to the next one
        }
    }
}
