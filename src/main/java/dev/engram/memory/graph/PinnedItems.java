package dev.engram.memory.graph;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;

/**
 * The graph items maintenance must keep: those holding a pinned memory's text in that memory's chat (an item is
 * matched by chat and content hash, as the graph de-duplicates items). Forgetting never drops such an item or the
 * concept holding it, and merging near-duplicates never merges one away. Immutable; thread-safe.
 */
public final class PinnedItems {
    /** Nothing pinned. */
    public static final PinnedItems NONE = new PinnedItems(Set.of());

    private final Set<String> keys;

    private PinnedItems(Set<String> keys) {
        this.keys = Set.copyOf(keys);
    }

    /** The items of these (pinned) memories. */
    public static PinnedItems of(Collection<StoredMemory> pinned) {
        Set<String> keys = new HashSet<>();
        for (StoredMemory m : pinned) keys.add(key(m.chatId(), TextSimilarity.contentHash(m.text())));
        return new PinnedItems(keys);
    }

    /** Whether maintenance must keep this item. */
    public boolean contains(GraphItem item) {
        return !keys.isEmpty() && keys.contains(key(item.chatId(), item.contentHash()));
    }

    /** How many pinned texts there are. */
    public int size() {
        return keys.size();
    }

    private static String key(String chatId, String contentHash) {
        return chatId + '\u0000' + contentHash;
    }
}
