package dev.engram.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The last known state of durable tasks, one row per task id, kept across restarts and pruned by its
 * owner. Pruning works on ranges of task ids ({@code fromId} inclusive to {@code toId} exclusive, in the
 * ids' string order), which the owner chooses so that id order is age order; only rows in one of the given
 * {@code states} (a non-empty collection) are deleted. Thread-safe.
 */
public interface TaskStatusRepository {
    /** Inserts the task's row or replaces it. */
    void put(TaskStatusRecord record);

    /** {@link #put} of every record, as one prepared batch (the task engine's group commit). */
    void putAll(List<TaskStatusRecord> records);

    Optional<TaskStatusRecord> find(String taskId);

    /** Removes a task's row; returns whether there was one. */
    boolean remove(String taskId);

    /** Rows in all. */
    long count();

    /** Deletes the rows in {@code states} with an id in {@code [fromId, toId)}; returns how many. */
    int deleteRange(String fromId, String toId, Collection<String> states);

    /**
     * Deletes the rows in {@code states} with an id in {@code [fromId, toId)} that are not among the
     * {@code keep} greatest ids of that range (rows of every state count towards {@code keep}); returns
     * how many were deleted.
     */
    int deleteBeyond(String fromId, String toId, Collection<String> states, int keep);
}
