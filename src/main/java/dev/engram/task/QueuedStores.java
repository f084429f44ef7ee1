package dev.engram.task;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import dev.engram.store.OutboxRecord;

/**
 * Reads the store tasks out of outbox records, for a caller that must drop some of them (forgetting a speaker: a
 * queued store of a forgotten message would store nothing, but its row holds the message's text until it has
 * run). A row of another type, or one this engine cannot read, is never picked. Thread-safe.
 */
public final class QueuedStores {
    private final TaskCodec codec = new TaskCodec();

    /** The task ids of the store tasks among {@code rows} that {@code doomed} accepts, in the rows' order. */
    public List<String> matching(Collection<OutboxRecord> rows, Predicate<MemoryTask.Store> doomed) {
        List<String> out = new ArrayList<>();
        for (OutboxRecord row : rows) {
            if (!TaskType.STORE.wire().equals(row.type())) continue;
            MemoryTask task;
            try {
                task = codec.decode(row);
            } catch (IllegalArgumentException e) {
                continue; // not a store this engine can read, so not one it can judge
            }
            if (task instanceof MemoryTask.Store s && doomed.test(s)) out.add(row.taskId());
        }
        return out;
    }
}
