package dev.engram.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An instant memory: what the LLM (or the offline provider) judged worth remembering.
 *
 * @param id           database id
 * @param chatId       the chat it belongs to
 * @param text         the memory text ({@code memory_text})
 * @param keywords     its keywords
 * @param messageIds   the messages it was written from (provenance)
 * @param createdAt    when it was written (the time of its newest source message)
 * @param validTo      when a newer fact superseded it, or {@code null} while it is current
 * @param supersededBy the id of that newer fact, or {@code null} while it is current
 * @param supersedes   ids of the facts this one superseded (oldest first)
 */
public record StoredMemory(long id, String chatId, String text, List<String> keywords, List<Long> messageIds,
                           Instant createdAt, Instant validTo, Long supersededBy, List<Long> supersedes) {
    public StoredMemory {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((validTo == null) != (supersededBy == null)) {
            throw new IllegalArgumentException("validTo and supersededBy are set together");
        }
        keywords = List.copyOf(keywords);
        messageIds = List.copyOf(messageIds);
        supersedes = List.copyOf(supersedes);
    }

    /** A current memory that superseded nothing. */
    public StoredMemory(long id, String chatId, String text, List<String> keywords, List<Long> messageIds,
                        Instant createdAt) {
        this(id, chatId, text, keywords, messageIds, createdAt, null, null, List.of());
    }

    /** Whether no newer fact has superseded it. */
    public boolean current() {
        return validTo == null;
    }
}
