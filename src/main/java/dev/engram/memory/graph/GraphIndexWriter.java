package dev.engram.memory.graph;

import java.util.List;
import java.util.Objects;

import dev.engram.text.TextAnalysis;
import dev.engram.memory.MemoryIndexWriter;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;
import dev.engram.model.ChatMessage;

/**
 * Feeds the store pipeline's instant memories into the graph: each memory becomes an item of each of its
 * keywords (or, without keywords, of the top {@value #FALLBACK_KEYWORDS} keywords of its text), and the
 * keywords are linked — so the graph grows with every store, not only with every build. Raw messages
 * are not indexed here: the build samples them from the message log. Idempotent (items are
 * de-duplicated, links only strengthen for new items). Thread-safe; a write waits at most for one
 * graph transaction, never for a build's LLM calls.
 */
public final class GraphIndexWriter implements MemoryIndexWriter {
    static final int FALLBACK_KEYWORDS = 3;

    private final GraphMemory graph;
    private final MemoryRepository memories;

    GraphIndexWriter(GraphMemory graph, MemoryRepository memories) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.memories = Objects.requireNonNull(memories, "memories");
    }

    /** Nothing to do: the graph learns raw messages by sampling the message log during builds. */
    @Override
    public void indexMessages(List<ChatMessage> messages) {
        Objects.requireNonNull(messages, "messages");
    }

    /**
     * Adds a current memory to the graph; the facts it {@linkplain StoredMemory#supersedes supersedes} are
     * removed from it first (by their text, read from {@code memories}).
     */
    @Override
    public void indexMemory(StoredMemory memory) {
        if (!memory.supersedes().isEmpty()) {
            graph.forget(memory.chatId(), memories.findAll(memory.supersedes()).stream()
                    .filter(old -> old.chatId().equals(memory.chatId())).map(StoredMemory::text).toList());
        }
        if (!memory.current()) return;
        List<String> concepts = memory.keywords().isEmpty()
                ? TextAnalysis.keywords(memory.text(), FALLBACK_KEYWORDS)
                : memory.keywords();
        graph.remember(memory.chatId(), concepts, memory.text(), memory.messageIds(), memory.createdAt());
    }
}
