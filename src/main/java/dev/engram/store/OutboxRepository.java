package dev.engram.store;

import java.util.List;

/**
 * The durable task outbox. Thread-safe. A record is added before its task is acknowledged and
 * removed once the task reached a final state.
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

    /** Up to {@code limit} records in insertion order, skipping the first {@code offset}. */
    List<OutboxRecord> list(int offset, int limit);

    /** Records with {@code seq > afterSeq}, in insertion order, at most {@code limit}. */
    List<OutboxRecord> listAfter(long afterSeq, int limit);

    boolean contains(String taskId);

    long count();
}
