package dev.engram.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Reads the change feed ({@code change_log}), which database triggers append to in the same transaction as each
 * change (PostgreSQL only; see {@code V11__change_feed.sql}). Sequence numbers are allocated in order but become
 * visible in commit order, so a reader may see {@code n + 1} before {@code n}: the transaction horizon
 * ({@link #endedBelow()}, {@link #freshTransactionId()}) tells when every transaction that could still commit a missing number has ended.
 * Thread-safe.
 */
public interface ChangeFeedRepository {
    /** The highest sequence number allocated so far, committed or not (0 for an empty feed). */
    long maxSeq();

    /** Committed rows with {@code seq > afterSeq}, in sequence order, at most {@code limit}. */
    List<ChangeRow> after(long afterSeq, int limit);

    /** The committed rows among these sequence numbers (the open gaps of a reader). */
    List<ChangeRow> find(Collection<Long> seqs);

    /** Rows below this were pruned; a reader whose cursor is below {@code prunedBelow() - 1} missed changes. */
    long prunedBelow();

    /** Deletes rows written before {@code cutoff} and raises {@link #prunedBelow()}; returns how many went. */
    int pruneBefore(Instant cutoff);

    /**
     * Every transaction with an id below this has ended (committed or rolled back): the oldest transaction still
     * running, in 64-bit ids that never wrap.
     */
    long endedBelow();

    /**
     * A fresh transaction id, from a transaction of its own that ends at once: every transaction that has written
     * anything (so allocated a sequence number) before this call has a lower id. With {@link #endedBelow()} it
     * proves a gap rolled back: once {@code endedBelow() >= freshTransactionId()} noted at the gap, no transaction
     * can still commit it.
     */
    long freshTransactionId();

    /**
     * Starts listening for the feed's wake-ups on a dedicated connection. A wake-up says "something was
     * committed", no more: the feed rows are the truth.
     */
    ChangeWakeups listen();

    /** Wake-ups from the database (LISTEN/NOTIFY). Closed by its owner; one thread uses it at a time. */
    interface ChangeWakeups extends AutoCloseable {
        /**
         * Waits up to {@code timeoutMillis} for a notification; returns whether one (or more) arrived. Reconnects
         * after a lost connection (returning {@code true}, so the caller re-reads the feed).
         */
        boolean await(long timeoutMillis) throws InterruptedException;

        @Override
        void close();
    }
}
