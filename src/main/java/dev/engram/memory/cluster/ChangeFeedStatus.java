package dev.engram.memory.cluster;

/**
 * The {@code change_feed} section of {@code GET /api/status}: where this instance's follower is in the database's
 * change feed and what it applied.
 *
 * @param state          {@code starting}, {@code following}, {@code failing} (the last read or apply failed; retried
 *                       every poll), {@code stale} (rows it needed were pruned: a restart rebuilds the index) or
 *                       {@code stopped}
 * @param instance       this instance's name (its own changes are skipped)
 * @param start          how the follower started: {@code resumed}, {@code fresh} or {@code rebuild: <why>}
 * @param cursor         every change at or below this sequence number is applied (or given up)
 * @param maxSeen        the highest sequence number applied
 * @param openGaps       sequence numbers above the cursor still in flight (re-read every step)
 * @param gapsRolledBack gaps proved rolled back by the transaction horizon
 * @param gapsTimedOut   gaps given up after the time bound
 * @param applied        changes of other instances applied
 * @param skippedOwn     this instance's own changes passed over
 * @param lagMs          now minus the time of the newest applied change ({@code -1} before the first)
 * @param indexed        index documents written from the feed
 * @param removed        index documents removed from the feed
 * @param waiting        items seen without a stored vector yet (indexed when the change storing it arrives)
 * @param reused         vectors read from the embeddings table
 * @param computed       vectors computed here (none stored for this instance's model)
 * @param graphReloads   graph snapshots reloaded
 * @param pruned         old feed rows this instance pruned
 * @param lastError      the last failure, {@code null} when none since it last succeeded
 */
public record ChangeFeedStatus(String state, String instance, String start, long cursor, long maxSeen, int openGaps,
                               long gapsRolledBack, long gapsTimedOut, long applied, long skippedOwn, long lagMs,
                               long indexed, long removed, long waiting, long reused, long computed, long graphReloads,
                               long pruned, String lastError) {
}
