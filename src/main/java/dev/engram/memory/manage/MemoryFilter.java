package dev.engram.memory.manage;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import dev.engram.model.StoredMemory;

/**
 * Which of a chat's memories to list.
 *
 * @param speaker a user id or display name (exact), or {@code null} for everyone's
 * @param state   current facts, superseded ones (history), or both
 * @param source  {@code instant} or {@code manual} (see {@link MemoryEntry#source()}), or {@code null} for both
 * @param pinned  only pinned ({@code true}) or only unpinned ({@code false}) memories, or {@code null} for both
 * @param text    a case-insensitive substring of the text, or {@code null}
 * @param from    earliest creation time (inclusive), or {@code null}
 * @param to      latest creation time (exclusive), or {@code null}
 */
public record MemoryFilter(String speaker, State state, String source, Boolean pinned, String text, Instant from,
                           Instant to) {
    /** Whether a fact is still true or was superseded by a newer one. */
    public enum State { CURRENT, SUPERSEDED, ALL }

    /** The values {@link MemoryEntry#source()} takes. */
    public static final Set<String> SOURCES = java.util.Set.of(MemoryEntry.INSTANT, MemoryEntry.MANUAL);

    public static final MemoryFilter ALL = new MemoryFilter(null, State.ALL, null, null, null, null, null);

    /** @throws IllegalArgumentException when {@code source} is not one of {@link #SOURCES} */
    public MemoryFilter {
        if (state == null) state = State.ALL;
        if (source != null && !SOURCES.contains(source)) {
            throw new IllegalArgumentException("source must be instant or manual, was " + source);
        }
    }

    boolean accepts(MemoryEntry e) {
        StoredMemory m = e.memory();
        if (state == State.CURRENT && !m.current()) return false;
        if (state == State.SUPERSEDED && m.current()) return false;
        if (source != null && !source.equals(e.source())) return false;
        if (pinned != null && pinned != e.pinned()) return false;
        if (from != null && m.createdAt().isBefore(from)) return false;
        if (to != null && !m.createdAt().isBefore(to)) return false;
        if (text != null && !m.text().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) return false;
        return speaker == null || speaker.equals(e.speakerId()) || speaker.equals(e.speakerName());
    }
}
