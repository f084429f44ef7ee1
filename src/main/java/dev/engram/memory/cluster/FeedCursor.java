package dev.engram.memory.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import dev.engram.store.ChangeRow;

/**
 * Where a follower is in the change feed, with the gaps PostgreSQL's out-of-order commits leave. Sequence numbers
 * are allocated in order but committed in any order: having seen {@code n + 1}, a lower {@code n} may still be in
 * flight. The cursor is the highest sequence number at or below which every row was taken (or given up): a gap
 * above it stays open, and is re-read, until it is filled, or proved rolled back (every transaction that was
 * running when it was noticed has ended: the oldest running transaction is past a fresh id noted then), or has been
 * open longer than the bound (then treated as rolled back; counted). Not thread-safe (the follower's thread);
 * {@link #copy()} lets a failed batch be undone.
 */
final class FeedCursor {
    /** An open gap: when it was noticed and a transaction id fresh at that moment. */
    private record Gap(Instant noticed, long xid) {
    }

    private final Duration gapTimeout;
    private long cursor;
    private long maxSeen;
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    private long timedOut;
    private long rolledBack;

    FeedCursor(long cursor, Duration gapTimeout) {
        this.cursor = cursor;
        this.maxSeen = cursor;
        this.gapTimeout = gapTimeout;
    }

    FeedCursor copy() {
        FeedCursor c = new FeedCursor(cursor, gapTimeout);
        c.maxSeen = maxSeen;
        c.gaps.putAll(gaps);
        c.timedOut = timedOut;
        c.rolledBack = rolledBack;
        return c;
    }

    /** Everything at or below this was taken or given up: where a restart resumes. */
    long cursor() {
        return cursor;
    }

    /** The highest sequence number taken: the next read of new rows starts above it. */
    long maxSeen() {
        return maxSeen;
    }

    /** The open gaps, to re-read. */
    Collection<Long> gaps() {
        return List.copyOf(gaps.keySet());
    }

    int openGaps() {
        return gaps.size();
    }

    /** Gaps given up after the time bound (a transaction may have committed later and been missed). */
    long timedOut() {
        return timedOut;
    }

    /** Gaps proved rolled back by the transaction horizon. */
    long rolledBack() {
        return rolledBack;
    }

    /**
     * Takes the rows of one read (new rows above {@link #maxSeen()} and re-read gaps) and returns those not taken
     * before, in sequence order. Skipped numbers become gaps, noted with {@code freshXid} (a transaction id taken
     * <em>after</em> the rows were read: every transaction holding a skipped number is below it).
     */
    List<ChangeRow> take(List<ChangeRow> rows, LongSupplier freshXid, Instant now) {
        List<ChangeRow> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparingLong(ChangeRow::seq));
        List<ChangeRow> taken = new ArrayList<>();
        long xid = -1;
        for (ChangeRow r : sorted) {
            long seq = r.seq();
            if (seq <= cursor) continue;
            if (seq > maxSeen) {
                if (seq > maxSeen + 1) {
                    if (xid < 0) xid = freshXid.getAsLong();
                    for (long s = maxSeen + 1; s < seq; s++) gaps.put(s, new Gap(now, xid));
                }
                maxSeen = seq;
                taken.add(r);
            } else if (gaps.remove(seq) != null) {
                taken.add(r);
            }
        }
        advance();
        return taken;
    }

    /**
     * Closes the gaps no transaction can fill any more. {@code endedBelow} must have been read <em>before</em> the
     * gaps were last re-read (and found still missing): every transaction below it had ended by then.
     */
    void settle(long endedBelow, Instant now) {
        for (var it = gaps.entrySet().iterator(); it.hasNext(); ) {
            Gap g = it.next().getValue();
            if (endedBelow >= g.xid()) {
                rolledBack++;
                it.remove();
            } else if (Duration.between(g.noticed(), now).compareTo(gapTimeout) >= 0) {
                timedOut++;
                it.remove();
            }
        }
        advance();
    }

    /** How long until the oldest open gap times out (for the follower's wait), or {@code null} without gaps. */
    Duration untilTimeout(Instant now) {
        Instant oldest = gaps.values().stream().map(Gap::noticed).min(Instant::compareTo).orElse(null);
        if (oldest == null) return null;
        Duration left = gapTimeout.minus(Duration.between(oldest, now));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void advance() {
        cursor = gaps.isEmpty() ? maxSeen : gaps.firstKey() - 1;
    }
}
