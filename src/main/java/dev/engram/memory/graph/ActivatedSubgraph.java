package dev.engram.memory.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a query activates in one chat's graph, for {@code GET /api/graph?chat_id=&q=}: the activated
 * concepts that hold items of the chat, the edges among them, and the ranked items. Concepts without
 * items of the chat are left out even when activation passed through them, so one chat never sees
 * another's concepts. Immutable; serialisable as is.
 *
 * @param chatId   the chat
 * @param query    the query ({@code ""}: the chat's concepts with the most items)
 * @param version  the snapshot version it was computed on
 * @param keywords the keywords extracted from the query
 * @param nodes    activated concepts, most activated first
 * @param edges    edges between those concepts
 * @param items    the chat's items of those concepts, best first
 */
public record ActivatedSubgraph(String chatId, String query, long version, List<String> keywords, List<Node> nodes,
                                List<Edge> edges, List<Item> items) {
    public ActivatedSubgraph {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(query, "query");
        keywords = List.copyOf(keywords);
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        items = List.copyOf(items);
    }

    /**
     * @param activation summed activation (0 for the no-query listing)
     * @param seed       whether a query keyword matched it directly
     * @param items      how many items of the chat it holds
     */
    public record Node(long id, String concept, double activation, boolean seed, int items) {
    }

    /** An undirected edge, {@code a < b}. */
    public record Edge(long a, long b, int strength) {
    }

    /** A ranked item with its provenance. */
    public record Item(long id, long nodeId, String text, double score, List<Long> messageIds, Instant createdAt) {
        public Item {
            messageIds = List.copyOf(messageIds);
        }
    }
}
