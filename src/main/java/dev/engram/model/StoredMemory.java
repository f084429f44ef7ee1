package dev.engram.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An instant memory: what the LLM (or the offline provider) judged worth remembering.
 *
 * @param id         database id
 * @param chatId     the chat it belongs to
 * @param text       the memory text ({@code memory_text})
 * @param keywords   its keywords
 * @param messageIds the messages it was written from (provenance)
 * @param createdAt  when it was written (the time of its newest source message)
 */
public record StoredMemory(long id, String chatId, String text, List<String> keywords, List<Long> messageIds,
                           Instant createdAt) {
    public StoredMemory {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        keywords = List.copyOf(keywords);
        messageIds = List.copyOf(messageIds);
    }
}
