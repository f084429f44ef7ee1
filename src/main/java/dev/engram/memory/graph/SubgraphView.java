package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes an {@link ActivatedSubgraph} on one snapshot. Stateless; thread-safe.
 */
final class SubgraphView {
    private final ActivationSearch search;

    SubgraphView(ActivationSearch search) {
        this.search = search;
    }

    ActivatedSubgraph of(GraphSnapshot g, String chatId, String query, int limit) {
        String q = query == null ? "" : query.strip();
        List<ActivatedSubgraph.Node> nodes = new ArrayList<>();
        List<ActivatedSubgraph.Item> items = new ArrayList<>();
        List<String> keywords = List.of();
        if (q.isEmpty()) {
            List<NodeEntry> busiest = g.entries().stream().filter(e -> e.hasChat(chatId))
                    .sorted(Comparator.comparingLong((NodeEntry e) -> -chatItems(e, chatId)).thenComparingLong(NodeEntry::id))
                    .limit(limit).toList();
            for (NodeEntry e : busiest) {
                nodes.add(new ActivatedSubgraph.Node(e.id(), e.node().concept(), 0, false, (int) chatItems(e, chatId)));
                for (NodeEntry.ItemEntry i : e.items()) {
                    if (i.item().chatId().equals(chatId)) items.add(item(i.item(), 0));
                }
            }
        } else {
            ActivationSearch.Activation a = search.activate(g, q);
            keywords = a.keywords();
            for (Map.Entry<Long, Double> n : search.topNodes(g, a, chatId, limit)) {
                NodeEntry e = g.entry(n.getKey());
                nodes.add(new ActivatedSubgraph.Node(e.id(), e.node().concept(), n.getValue(),
                        a.seeds().containsKey(e.id()), (int) chatItems(e, chatId)));
            }
            for (ActivationSearch.ScoredItem s : search.rank(g, a, chatId, q, limit * 3)) items.add(item(s.item(), s.score()));
        }
        Set<Long> ids = new HashSet<>();
        nodes.forEach(n -> ids.add(n.id()));
        List<ActivatedSubgraph.Edge> edges = new ArrayList<>();
        for (long id : ids) {
            for (GraphEdge e : g.entry(id).edges().values()) {
                if (e.a() == id && ids.contains(e.b())) edges.add(new ActivatedSubgraph.Edge(e.a(), e.b(), e.strength()));
            }
        }
        edges.sort(Comparator.comparingLong(ActivatedSubgraph.Edge::a).thenComparingLong(ActivatedSubgraph.Edge::b));
        return new ActivatedSubgraph(chatId, q, g.version(), keywords, nodes, edges, items);
    }

    private static long chatItems(NodeEntry e, String chatId) {
        return e.items().stream().filter(i -> i.item().chatId().equals(chatId)).count();
    }

    private static ActivatedSubgraph.Item item(GraphItem i, double score) {
        return new ActivatedSubgraph.Item(i.id(), i.nodeId(), i.text(), score, i.messageIds(), i.createdAt());
    }
}
