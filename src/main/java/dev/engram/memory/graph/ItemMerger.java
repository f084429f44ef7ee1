package dev.engram.memory.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.engram.text.TextSimilarity;

/**
 * Merges near-duplicate items inside one node, per chat: two items whose shingle Jaccard
 * ({@link TextSimilarity}) reaches the threshold become one — the longer text survives (as in the
 * original), with the union of both provenances and the newer time; items stating different numbers are never
 * merged. Used by forgetting (threshold 0.8,
 * as the original) and consolidation ({@code consolidation_similarity_threshold}). At most
 * {@value #MAX_COMPARED} items per chat and node are compared (the newest), bounding the quadratic work. A
 * {@link PinnedItems pinned} item survives a merge whatever its length, and two pinned items are never merged.
 * Stateless; thread-safe (the mutation is used on one thread).
 */
final class ItemMerger {
    static final int MAX_COMPARED = 200;

    private ItemMerger() {
    }

    /** @return how many items were merged away */
    static int mergeWithin(GraphMutation m, long nodeId, double threshold, PinnedItems pinned) {
        NodeEntry entry = m.graph().entry(nodeId);
        if (entry == null || entry.items().size() < 2) return 0;
        Map<String, List<GraphItem>> byChat = new LinkedHashMap<>();
        for (NodeEntry.ItemEntry i : entry.items()) byChat.computeIfAbsent(i.item().chatId(), c -> new ArrayList<>()).add(i.item());
        int merged = 0;
        for (List<GraphItem> group : byChat.values()) {
            List<GraphItem> items = group.size() > MAX_COMPARED ? group.subList(group.size() - MAX_COMPARED, group.size()) : group;
            merged += mergeGroup(m, new ArrayList<>(items), threshold, pinned);
        }
        return merged;
    }

    private static int mergeGroup(GraphMutation m, List<GraphItem> items, double threshold, PinnedItems pinned) {
        List<Set<String>> shingles = new ArrayList<>();
        for (GraphItem i : items) shingles.add(TextSimilarity.shingles(i.text()));
        boolean[] gone = new boolean[items.size()];
        int merged = 0;
        for (int i = 0; i < items.size(); i++) {
            for (int j = i + 1; j < items.size() && !gone[i]; j++) {
                if (gone[j] || TextSimilarity.jaccard(shingles.get(i), shingles.get(j)) < threshold
                        || !TextSimilarity.sameNumbers(items.get(i).text(), items.get(j).text())) {
                    continue;
                }
                boolean pinnedI = pinned.contains(items.get(i));
                boolean pinnedJ = pinned.contains(items.get(j));
                if (pinnedI && pinnedJ) continue;
                boolean keepI = pinnedI || (!pinnedJ && items.get(i).text().length() >= items.get(j).text().length());
                int keep = keepI ? i : j;
                int drop = keepI ? j : i;
                GraphItem kept = absorb(m, items.get(keep), items.get(drop));
                items.set(keep, kept);
                gone[drop] = true;
                merged++;
            }
        }
        return merged;
    }

    /** Gives {@code keep} the provenance of {@code drop} and removes {@code drop}. */
    static GraphItem absorb(GraphMutation m, GraphItem keep, GraphItem drop) {
        TreeSet<Long> ids = new TreeSet<>(keep.messageIds());
        ids.addAll(drop.messageIds());
        Instant at = keep.createdAt().isAfter(drop.createdAt()) ? keep.createdAt() : drop.createdAt();
        m.removeItem(drop);
        if (ids.equals(new TreeSet<>(keep.messageIds())) && at.equals(keep.createdAt())) return keep;
        return m.updateItem(keep, List.copyOf(ids), at);
    }
}
