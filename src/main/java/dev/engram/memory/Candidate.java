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
}
