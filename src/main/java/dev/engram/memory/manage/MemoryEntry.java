package dev.engram.memory.manage;

import java.util.Objects;

import dev.engram.model.StoredMemory;

/**
 * A memory as its owners see it: the stored memory and who it is about.
 *
 * @param speakerId   user id of the first user message it came from, or {@code null} (no provenance)
 * @param speakerName that message's display name, or {@code null}
 * @param source      {@code instant} (written from messages) or {@code manual} (stored through the API, no
 *                    provenance)
 * @param pinned      whether its owner pinned it (maintenance keeps it in recall)
 */
public record MemoryEntry(StoredMemory memory, String speakerId, String speakerName, String source, boolean pinned) {
    public MemoryEntry {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(source, "source");
    }
}
