package dev.engram.memory.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One memory of a concept: a sentence about it, drawn from one chat. Immutable.
 *
 * @param id          database id
 * @param nodeId      the concept it belongs to
 * @param chatId      the chat it was drawn from; recall only returns items of the asking chat
 * @param text        the memory
 * @param contentHash SHA-256 of the normalised text; unique per (node, chat)
 * @param messageIds  ids of the messages it came from (provenance), ascending
 * @param createdAt   when the newest of those messages was said (or when it was written)
 */
public record GraphItem(long id, long nodeId, String chatId, String text, String contentHash, List<Long> messageIds,
                        Instant createdAt) {
    public GraphItem {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(createdAt, "createdAt");
        messageIds = List.copyOf(messageIds);
    }
}
