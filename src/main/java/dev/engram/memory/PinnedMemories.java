package dev.engram.memory;

import java.util.List;
import java.util.Objects;

import dev.engram.memory.graph.PinnedItems;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;

/**
 * What maintenance must leave alone: the pinned current memories, read at the start of a pass. Index retention
 * skips their documents (and the embeddings table keeps their vectors); graph forgetting and consolidation never
 * drop or merge away their items. So a pinned memory is never out of recall, not even for the length of a pass.
 * A memory pinned while a pass runs is protected from the next pass on; pinning puts a memory that retention had
 * already dropped back into the index ({@code MemoryAdmin.pin}). Thread-safe.
 */
public final class PinnedMemories {
    /** Most pinned memories protected per pass. */
    static final int LIMIT = 10_000;

    private final MemoryRepository memories;

    /** The pinned memories at one moment: their ids (for the index) and their graph items. */
    public record Pins(List<Long> memoryIds, PinnedItems items) {
        public Pins {
            memoryIds = List.copyOf(memoryIds);
            Objects.requireNonNull(items, "items");
        }
    }

    public PinnedMemories(MemoryRepository memories) {
        this.memories = Objects.requireNonNull(memories, "memories");
    }

    /** The pinned current memories of every chat now (at most {@value #LIMIT}). */
    public Pins current() {
        List<StoredMemory> pinned = memories.pinned(LIMIT);
        return new Pins(pinned.stream().map(StoredMemory::id).toList(), PinnedItems.of(pinned));
    }
}
