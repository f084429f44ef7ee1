package dev.engram.store;

import java.util.List;
import java.util.Optional;

/**
 * The durable task outbox. Thread-safe. A record is added before its task is acknowledged and
 * removed once the task succeeded; the record of a task that failed for good is kept as a dead letter
 * (so it can be retried or purged) and is no longer live work: {@link #listAfter} and {@link #count}
 * skip it. Methods that change several rows ({@link #requeueDead}) must run in a transaction to be atomic.
 */
public interface OutboxRepository {
    /** Adds a record; adding a task id that is already present does nothing. */
    void add(OutboxRecord record);

    /** {@link #add} of every record in order, as one prepared batch (the task engine's group commit). */
    void addAll(List<OutboxRecord> records);

    /** Removes a record; removing an absent id does nothing. Returns whether a row was removed. */
    boolean remove(String taskId);

    /** {@link #remove} of every id, as one prepared batch (the task engine's group commit). */
    void removeAll(List<String> taskIds);

    /** Records the number of attempts made so far (survives a restart). */
    void updateAttempts(String taskId, int attempts);

    /** Makes a record a dead letter with {@code attempts} recorded; returns whether there was a record. */
    boolean markDead(String taskId, int attempts);

    /**
     * Turns a dead letter back into live work: its record is written again at the end of the insertion
     * order, with no attempts. Returns the new record, or empty if {@code taskId} is not a dead letter.
     */
    Optional<OutboxRecord> requeueDead(String taskId);

    /** Deletes a dead letter; returns its record, or empty (deleting nothing) if {@code taskId} is not one. */
    Optional<OutboxRecord> removeDead(String taskId);

    /** Up to {@code limit} dead letters, the most recently written first, or the oldest first. */
    List<OutboxRecord> listDead(int limit, boolean newestFirst);

    /** Dead letters. */
    long countDead();

    /** Up to {@code limit} records (live and dead) in insertion order, skipping the first {@code offset}. */
    List<OutboxRecord> list(int offset, int limit);

    /** Live records with {@code seq > afterSeq}, in insertion order, at most {@code limit}. */
    List<OutboxRecord> listAfter(long afterSeq, int limit);

    /** Whether there is a record (live or dead) for the task. */
    boolean contains(String taskId);

    /** Live records (dead letters not included). */
    long count();

    /** Every record of a chat, live and dead, in insertion order (forgetting picks a speaker's out of them). */
    List<OutboxRecord> listChat(String chatId);

    /** Removes every record of a chat (forgetting it); returns how many went. */
    int removeChat(String chatId);
}
