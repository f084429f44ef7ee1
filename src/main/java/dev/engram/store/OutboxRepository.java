package dev.engram.store;

import java.util.List;

/**
 * The durable task outbox. Thread-safe. A record is added before its task is acknowledged and
 * removed once the task reached a final state.
 */
public interface OutboxRepository {
    /** Adds a record; adding a task id that is already present does nothing. */
    void add(OutboxRecord record);

    /** Removes a record; removing an absent id does nothing. Returns whether a row was removed. */
    boolean remove(String taskId);

    /** Records the number of attempts made so far (survives a restart). */
    void updateAttempts(String taskId, int attempts);

    /** Up to {@code limit} records in insertion order, skipping the first {@code offset}. */
    List<OutboxRecord> list(int offset, int limit);

    /** Records with {@code seq > afterSeq}, in insertion order, at most {@code limit}. */
    List<OutboxRecord> listAfter(long afterSeq, int limit);

    boolean contains(String taskId);

    long count();

    /** Removes every record of a chat (forgetting it); returns how many went. */
    int removeChat(String chatId);
}
