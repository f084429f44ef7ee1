package dev.engram.memory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;

/**
 * Keeps pinned memories in recall across maintenance. Index retention drops every memory older than the
 * retention window from the search index, and a graph forget or consolidation pass may drop or merge any item;
 * the memory table itself is never pruned. So the maintenance task that ran one of them calls {@link #restore}
 * before it finishes: pinned memories older than the retention cutoff go back into the index (with their stored
 * vectors: the model does not run again) and every pinned memory is in the graph again (an item that is still there is left as it is).
 * A reply running during the pass may miss a pinned memory's index document or graph item for that moment; the
 * instant source, which reads the memory table, finds it throughout. Thread-safe.
 */
public final class PinnedMemories {
    private static final Logger log = LoggerFactory.getLogger(PinnedMemories.class);
    /** Most pinned memories restored per pass. */
    static final int LIMIT = 10_000;

    private final MemoryRepository memories;
    private final LuceneMemoryIndex index;
    private final MemoryIndexWriter graph;

    public PinnedMemories(MemoryRepository memories, LuceneMemoryIndex index, GraphMemory graph) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.index = Objects.requireNonNull(index, "index");
        this.graph = Objects.requireNonNull(graph, "graph").indexWriter();
    }

    /**
     * Puts pinned memories back where maintenance removed them.
     *
     * @param indexCutoff memories created before it were dropped from the index by retention; {@code null}: the
     *                    index was not touched (graph only)
     * @return how many pinned memories there are
     */
    public int restore(Instant indexCutoff) throws Exception {
        List<StoredMemory> pinned = memories.pinned(LIMIT);
        if (pinned.isEmpty()) return 0;
        if (indexCutoff != null) {
            List<StoredMemory> expired = pinned.stream().filter(m -> m.createdAt().isBefore(indexCutoff)).toList();
            if (!expired.isEmpty()) index.indexMemories(expired);
        }
        for (StoredMemory m : pinned) graph.indexMemory(withoutHistory(m));
        log.debug("restored {} pinned memories after maintenance", pinned.size());
        return pinned.size();
    }

    /** The memory alone: its superseded versions are gone from the graph already, nothing to remove again. */
    private static StoredMemory withoutHistory(StoredMemory m) {
        return new StoredMemory(m.id(), m.chatId(), m.text(), m.keywords(), m.messageIds(), m.createdAt());
    }
}
