package dev.engram.task;

import dev.engram.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link DelayScheduler} on a {@link MutableClock}: nothing runs until the test calls {@link #advance},
 * which moves the clock to each due action in order and runs it on the calling thread. Thread-safe.
 */
final class ManualScheduler implements DelayScheduler {
    private record Entry(Instant due, long seq, Runnable action) {
    }

    private final MutableClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
        int c = a.due().compareTo(b.due());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    });
    private long seq;

    ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        Entry entry = new Entry(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), seq++, action);
        queue.add(entry);
        return () -> {
            synchronized (ManualScheduler.this) {
                queue.remove(entry);
            }
        };
    }

    /** Moves time forward by {@code d}, running every action that falls due, at its due time. */
    void advance(Duration d) {
        Instant target = clock.instant().plus(d);
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due().isAfter(target)) break;
                queue.poll();
            }
            if (next.due().isAfter(clock.instant())) clock.set(next.due());
            next.action().run();
        }
        if (target.isAfter(clock.instant())) clock.set(target);
    }

    /** Runs actions already due. */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int pending() {
        return queue.size();
    }

    /** Delays of the pending actions from now, soonest first. */
    synchronized java.util.List<Duration> pendingDelays() {
        return queue.stream().sorted(queue.comparator()).map(e -> Duration.between(clock.instant(), e.due())).toList();
    }
}
