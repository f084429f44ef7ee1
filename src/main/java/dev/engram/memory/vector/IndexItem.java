package dev.engram.memory.vector;

import java.time.Instant;
import java.util.List;

import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;
import dev.engram.store.EmbeddingRepository.Kind;

/**
 * One thing the index holds: a raw message or an instant memory, in the shape the index needs.
 *
 * @param text       what recall returns ({@code name: text} for a message, the memory text for a memory)
 * @param searchText what BM25 matches (the text, plus keywords for a memory)
 * @param embedText  what the model embeds (the bare message or memory text, without the speaker)
 */
record IndexItem(Kind kind, long id, String chatId, String text, String searchText, String embedText,
                 List<Long> messageIds, Instant createdAt) {

    static IndexItem of(ChatMessage m) {
        String shown = m.displayName() + ": " + m.text();
        return new IndexItem(Kind.MESSAGE, m.id(), m.chatId(), shown, shown, m.text(), List.of(m.id()), m.createdAt());
    }

    static IndexItem of(StoredMemory m) {
        String search = m.keywords().isEmpty() ? m.text() : m.text() + "\n" + String.join(" ", m.keywords());
        return new IndexItem(Kind.MEMORY, m.id(), m.chatId(), m.text(), search, m.text(), m.messageIds(), m.createdAt());
    }

    /** The index key and recall identity: {@code m:<id>} for a message, {@code i:<id>} for a memory. */
    String key() {
        return key(kind, id);
    }

    static String key(Kind kind, long id) {
        return (kind == Kind.MESSAGE ? "m:" : "i:") + id;
    }
}
