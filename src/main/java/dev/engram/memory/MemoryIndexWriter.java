package dev.engram.memory;

import java.util.List;

import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;

/**
 * Writes messages and instant memories into the searchable indexes (embedding + text). Called by
 * the store pipeline on the task engine, never on the reply path. Thread-safe; idempotent by
 * message id and memory id, so a replayed task does not index twice. A write is visible to
 * {@link MemorySource#search} when the method returns.
 */
public interface MemoryIndexWriter {
    void indexMessages(List<ChatMessage> messages) throws Exception;

    void indexMemory(StoredMemory memory) throws Exception;
}
