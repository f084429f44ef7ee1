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
    /** {@link #source()} of a memory written from messages. */
    public static final String INSTANT = "instant";
    /** {@link #source()} of a memory stored through the API without provenance. */
    public static final String MANUAL = "manual";

    public MemoryEntry {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(source, "source");
    }
}
