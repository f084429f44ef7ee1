package dev.engram.memory.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A graph as an export carries it, to be written back exactly ({@link GraphMemory#restore}): the concepts in the
 * order they were created, the items (one per text with every concept it hangs off) and the links with their
 * strengths. Immutable.
 *
 * @param concepts the concepts, oldest first (nodes are created in this order, so ties that fall back on node ids
 *                 break as in the exporting instance)
 * @param items    the items, oldest first
 * @param edges    the links between concepts of {@code concepts}
 */
public record GraphRestore(List<String> concepts, List<Item> items, List<Edge> edges) {
    public GraphRestore {
        concepts = List.copyOf(concepts);
        items = List.copyOf(items);
        edges = List.copyOf(edges);
    }

    /** One item text of a chat on each of its concepts; {@code messageIds} are ids of the importing instance. */
    public record Item(String chatId, List<String> concepts, String text, List<Long> messageIds, Instant createdAt) {
        public Item {
            Objects.requireNonNull(chatId, "chatId");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(createdAt, "createdAt");
            concepts = List.copyOf(concepts);
            messageIds = List.copyOf(messageIds);
        }
    }

    /** A link between two concepts with its strength and times. */
    public record Edge(String a, String b, int strength, Instant createdAt, Instant lastModified) {
        public Edge {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(lastModified, "lastModified");
        }
    }

    /** What a restore wrote: items added, links created or raised. */
    public record Outcome(int items, int edges) {
    }

    /**
     * Writes the graph in one mutation: nodes in order, items without linking their concepts (the links are
     * given), then each link raised to its strength (a stronger existing link is left alone), so restoring twice
     * changes nothing.
     */
    Outcome apply(GraphMutation m) {
        for (String c : concepts) m.ensureNode(c);
        int added = 0;
        for (Item item : items) {
            for (String c : item.concepts()) {
                GraphMutation.ItemResult r = m.addItem(m.ensureNode(c), item.chatId(), item.text(), item.messageIds(),
                        item.createdAt());
                if (r.change() == GraphMutation.ItemChange.ADDED) added++;
            }
        }
        int linked = 0;
        for (Edge e : edges) {
            long x = m.ensureNode(e.a());
            long y = m.ensureNode(e.b());
            if (x == y || e.strength() <= 0) continue;
            GraphEdge old = m.graph().entry(x).edges().get(y);
            if (old != null && old.strength() >= e.strength()) continue;
            m.putEdge(old == null ? GraphEdge.between(x, y, e.strength(), e.createdAt(), e.lastModified())
                    : old.withStrength(e.strength(), e.lastModified()));
            linked++;
        }
        return new Outcome(added, linked);
    }
}
