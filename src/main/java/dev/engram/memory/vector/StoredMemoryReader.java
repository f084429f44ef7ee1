package dev.engram.memory.vector;

import java.util.List;

import dev.engram.model.StoredMemory;

/**
 * Pages through every stored instant memory, for index rebuilds; wire it to the memory
 * repository, e.g. {@code storage.memories()::after}. Implementations are thread-safe.
 */
@FunctionalInterface
public interface StoredMemoryReader {
    /** Memories of any chat with an id greater than {@code afterId}, in id order, at most {@code limit}. */
    List<StoredMemory> after(long afterId, int limit);

    /** A reader of no memories (before instant memory exists, or in tests). */
    static StoredMemoryReader none() {
        return (afterId, limit) -> List.of();
    }
}
