package dev.engram.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox as the shared work queue of several instances on one PostgreSQL database (cluster mode).
 * Thread-safe; every method is one transaction unless it is called on a transaction's storage.
 *
 * <p>Model: each live outbox row belongs to a lease named by {@link #leaseOf} — {@code chat:<chat id>} for a
 * chat's rows, {@link #MAINTENANCE} for chatless rows. A lease has one owner until it expires ({@code
 * expires_at}, epoch milliseconds of the callers' clocks); its {@code token} grows on every change of owner.
 * An instance runs a row only after it claimed it ({@code claimed_by}), and it claims only rows of leases it
 * holds, so each chat's tasks run on one instance at a time, in outbox order.
 *
 * <p>Guarantees: {@link #orderAdds} makes the rows of one chat commit in {@code seq} order across
 * instances, so a claim never takes a chat's later row before its earlier ones; one owner's claims are
 * numbered ({@link ClaimedRecord#claimSeq}) in the order it made them, and in {@code seq} order within a
 * claim. A lease is taken over only once expired, under a row lock, so two instances never both hold it.
 */
public interface WorkQueue {
    /** The lease of the periodic maintenance and of chatless rows (builds). */
    String MAINTENANCE = "maintenance";
    /** Prefix of chat lease names. */
    String CHAT_PREFIX = "chat:";

    /** The lease name of a row of {@code chatId} ({@code null}: chatless). */
    static String leaseOf(String chatId) {
        return chatId == null ? MAINTENANCE : CHAT_PREFIX + chatId;
    }

    /** A lease as stored. */
    record Lease(String name, String owner, long expiresAt, long token) {
    }

    /**
     * What a claim did.
     *
     * @param leases  the leases the claimer acquired or renewed in it (each until {@code now + lease})
     * @param claimed the rows it newly claimed, in {@code seq} order
     * @param more    whether candidates were left over (claim again at once)
     */
    record Claim(Set<String> leases, List<ClaimedRecord> claimed, boolean more) {
        public Claim {
            leases = Set.copyOf(leases);
            claimed = List.copyOf(claimed);
        }
    }

    /** A live row claimed by an owner, at position {@code claimSeq} of that owner's claims. */
    record ClaimedRecord(OutboxRecord record, long claimSeq) {
    }

    /**
     * Call inside a transaction before it inserts outbox rows of these chats ({@code null}: chatless): waits
     * for other transactions inserting rows of the same chats to end (transaction-scoped advisory locks,
     * taken in one global order, so they cannot deadlock with each other), and wakes every {@link #listen
     * listener} when the transaction commits.
     */
    void orderAdds(Collection<String> chatIds);

    /**
     * For the leases of up to {@code limit} chats with unclaimed rows (oldest rows first), and of leases
     * expired with rows left: takes each that is free, expired or already {@code owner}'s (lease rows locked
     * by another claimer are skipped: {@code FOR UPDATE SKIP LOCKED}), until {@code now + leaseMs}; then claims
     * every live row of the leases taken that {@code owner} did not claim yet, in {@code seq} order.
     */
    Claim claim(String owner, long now, long leaseMs, int limit);

    /** Extends every lease {@code owner} still holds to {@code now + leaseMs}; returns their names. */
    Set<String> renew(String owner, long now, long leaseMs);

    /**
     * Drops {@code owner}'s chat leases, and expired chat leases of anyone, whose chats have no live rows
     * (so ownership rebalances); returns the names dropped. The maintenance lease stays.
     */
    Set<String> releaseIdle(String owner, long now);

    /** Drops every lease of {@code owner} and un-claims its rows, so others take them at once (clean stop). */
    void release(String owner);

    /**
     * Takes or renews the lease {@code name} for {@code owner} until {@code now + leaseMs} if it is free, expired
     * or {@code owner}'s; rows of the lease still claimed by a previous owner become unclaimed (the next
     * {@link #claim} of {@code owner} takes them). Empty if another holds it.
     */
    Optional<Lease> tryLease(String name, String owner, long now, long leaseMs);

    /** The lease as stored, if any. */
    Optional<Lease> lease(String name);

    /** Live rows claimed by {@code owner} with {@code claimSeq > afterClaimSeq}, in claim order, at most {@code limit}. */
    List<ClaimedRecord> listClaimed(String owner, long afterClaimSeq, int limit);

    /**
     * A wake-up channel: opens a connection of its own that hears {@link #orderAdds} commits (LISTEN). A
     * wake-up is only a hint to claim sooner; the table is the truth.
     */
    Listener listen();

    /** Hears commits of new work. Not thread-safe: one thread awaits and closes. */
    interface Listener extends AutoCloseable {
        /** Waits up to {@code timeout} for wake-ups; returns whether one (or more) arrived. */
        boolean await(Duration timeout);

        @Override
        void close();
    }
}
