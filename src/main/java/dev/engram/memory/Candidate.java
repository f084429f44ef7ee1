package dev.engram.memory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One hit of one memory source, before fusion.
 *
 * @param key        identity used to de-duplicate across sources: {@code m:<messageId>} for a raw
 *                   message, {@code i:<memoryId>} for an instant memory, {@code g:<itemId>} for a graph item
 * @param text       the remembered text
 * @param score      the source's own score (higher is better; scales differ between sources)
 * @param messageIds ids of the messages it came from (provenance)
 * @param createdAt  when the remembered thing was said or written
 */
public record Candidate(String key, String text, double score, List<Long> messageIds, Instant createdAt) {
    public Candidate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        messageIds = List.copyOf(messageIds);
    }

    /**
     * The stable order of keys {@code <kind>:<id>} that settles equal scores everywhere (sources and fusion): by
     * kind, then by id as a number ({@code m:9} before {@code m:10}); as text when either id is not a number.
     */
    public static int compareKeys(String a, String b) {
        int ca = a.indexOf(':');
        int cb = b.indexOf(':');
        int kind = a.substring(0, Math.max(ca, 0)).compareTo(b.substring(0, Math.max(cb, 0)));
        if (kind != 0) return kind;
        try {
            return Long.compare(Long.parseLong(a.substring(ca + 1)), Long.parseLong(b.substring(cb + 1)));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
