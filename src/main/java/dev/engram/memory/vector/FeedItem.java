package dev.engram.memory.vector;

import java.util.Objects;

import dev.engram.store.EmbeddingRepository.Kind;

/**
 * A message or memory another instance changed, for {@link LuceneMemoryIndex#follow}: the index is brought to what
 * the database now holds for it.
 *
 * @param embedded whether the change was the storing of its vector: only then may the follower compute a vector
 *                 itself (when none is stored for this instance's model); otherwise an item without a stored
 *                 vector waits for the change that stores one
 */
public record FeedItem(Kind kind, long id, String chatId, boolean embedded) {
    public FeedItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(chatId, "chatId");
    }
}
