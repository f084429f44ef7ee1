package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a {@link GraphSnapshot} with everything recall needs next to it: the concept's features,
 * its items (with their features) and its edges keyed by neighbour id. Immutable; the {@code with…}
 * methods return modified copies (a node's item list and edge map are small, so copying them is cheap).
 */
record NodeEntry(GraphNode node, Concepts.Features features, List<ItemEntry> items, Map<Long, GraphEdge> edges) {
    NodeEntry {
        items = List.copyOf(items); // no copy when already immutable (the with… methods pass copies)
        edges = Map.copyOf(edges);
    }

    /** A memory item with its features, computed once when it enters the graph. */
    record ItemEntry(GraphItem item, Concepts.Features features) {
        static ItemEntry of(GraphItem item) {
            return new ItemEntry(item, Concepts.features(item.text()));
        }
    }

    static NodeEntry of(GraphNode node) {
        return new NodeEntry(node, Concepts.features(node.concept()), List.of(), Map.of());
    }

    long id() {
        return node.id();
    }

    /** Whether the node holds an item of {@code chatId}. */
    boolean hasChat(String chatId) {
        for (ItemEntry e : items) if (e.item().chatId().equals(chatId)) return true;
        return false;
    }

    NodeEntry withNode(GraphNode newNode) {
        return new NodeEntry(newNode, features, items, edges);
    }

    /** Adds the item, or replaces the item with the same id. */
    NodeEntry withItem(ItemEntry entry) {
        List<ItemEntry> copy = new ArrayList<>(items.size() + 1);
        boolean replaced = false;
        for (ItemEntry e : items) {
            if (e.item().id() == entry.item().id()) {
                copy.add(entry);
                replaced = true;
            } else {
                copy.add(e);
            }
        }
        if (!replaced) copy.add(entry);
        return new NodeEntry(node, features, copy, edges);
    }

    NodeEntry withoutItem(long itemId) {
        List<ItemEntry> copy = new ArrayList<>(items);
        copy.removeIf(e -> e.item().id() == itemId);
        return new NodeEntry(node, features, copy, edges);
    }

    NodeEntry withEdge(GraphEdge edge) {
        Map<Long, GraphEdge> copy = new HashMap<>(edges);
        copy.put(edge.other(node.id()), edge);
        return new NodeEntry(node, features, items, copy);
    }

    NodeEntry withoutEdge(long neighbour) {
        Map<Long, GraphEdge> copy = new HashMap<>(edges);
        copy.remove(neighbour);
        return new NodeEntry(node, features, items, copy);
    }
}
