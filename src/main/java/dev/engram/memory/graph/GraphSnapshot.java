package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable version of the concept graph: nodes, their items, undirected edges, and a token index
 * for matching keywords to concepts.
 *
 * <p>Concurrency: a snapshot never changes after it is published, so any number of readers may use it
 * without locks. Writers derive the next version with a {@link SnapshotBuilder} (copy of the top-level
 * maps, changed nodes replaced) and publish it atomically; readers holding an older snapshot keep a
 * consistent view of that older version.
 *
 * <p>Invariants ({@link #verify()} checks them): every edge is stored in both endpoints' entries and
 * connects two existing nodes; every item belongs to the node that holds it; (node, chat, content
 * hash) is unique; the concept-key and token indexes match the nodes; the counts match.
 */
public final class GraphSnapshot {
    private static final GraphSnapshot EMPTY = new GraphSnapshot(0, Map.of(), Map.of(), Map.of(), 0, 0);

    private final long version;
    private final Map<Long, NodeEntry> nodes;
    private final Map<String, Long> byKey;
    private final Map<String, Set<Long>> byToken;
    private final int edgeCount;
    private final int itemCount;

    GraphSnapshot(long version, Map<Long, NodeEntry> nodes, Map<String, Long> byKey,
                  Map<String, Set<Long>> byToken, int edgeCount, int itemCount) {
        this.version = version;
        this.nodes = Collections.unmodifiableMap(nodes);
        this.byKey = Collections.unmodifiableMap(byKey);
        this.byToken = Collections.unmodifiableMap(byToken);
        this.edgeCount = edgeCount;
        this.itemCount = itemCount;
    }

    /** The graph with nothing in it (version 0). */
    public static GraphSnapshot empty() {
        return EMPTY;
    }

    /** Increases by one with every published change. */
    public long version() {
        return version;
    }

    public int nodeCount() {
        return nodes.size();
    }

    public int edgeCount() {
        return edgeCount;
    }

    public int itemCount() {
        return itemCount;
    }

    public Optional<GraphNode> node(long id) {
        NodeEntry e = nodes.get(id);
        return e == null ? Optional.empty() : Optional.of(e.node());
    }

    /** The node of a concept, matched by its normalised form. */
    public Optional<GraphNode> node(String concept) {
        Long id = byKey.get(Concepts.key(concept));
        return id == null ? Optional.empty() : node(id);
    }

    /** Every node, in no particular order. */
    public List<GraphNode> nodes() {
        return nodes.values().stream().map(NodeEntry::node).toList();
    }

    /** The items of a node (empty for an unknown node), in insertion order. */
    public List<GraphItem> items(long nodeId) {
        NodeEntry e = nodes.get(nodeId);
        return e == null ? List.of() : e.items().stream().map(NodeEntry.ItemEntry::item).toList();
    }

    /** Every item of a chat, in no particular order. */
    public List<GraphItem> items(String chatId) {
        List<GraphItem> out = new ArrayList<>();
        for (NodeEntry e : nodes.values()) {
            for (NodeEntry.ItemEntry i : e.items()) if (i.item().chatId().equals(chatId)) out.add(i.item());
        }
        return out;
    }

    /** The edges of a node (empty for an unknown node). */
    public Collection<GraphEdge> edges(long nodeId) {
        NodeEntry e = nodes.get(nodeId);
        return e == null ? List.of() : e.edges().values();
    }

    /** The edge between two nodes, in either order. */
    public Optional<GraphEdge> edge(long x, long y) {
        NodeEntry e = nodes.get(x);
        return e == null ? Optional.empty() : Optional.ofNullable(e.edges().get(y));
    }

    /** Every edge once. */
    public List<GraphEdge> edges() {
        List<GraphEdge> out = new ArrayList<>(edgeCount);
        for (NodeEntry e : nodes.values()) {
            for (GraphEdge edge : e.edges().values()) if (edge.a() == e.id()) out.add(edge);
        }
        return out;
    }

    NodeEntry entry(long id) {
        return nodes.get(id);
    }

    Collection<NodeEntry> entries() {
        return nodes.values();
    }

    Long idOfKey(String key) {
        return byKey.get(key);
    }

    Set<Long> withToken(String token) {
        return byToken.getOrDefault(token, Set.of());
    }

    Map<Long, NodeEntry> nodeMap() {
        return nodes;
    }

    Map<String, Long> keyMap() {
        return byKey;
    }

    Map<String, Set<Long>> tokenMap() {
        return byToken;
    }

    /**
     * Checks the invariants of the class comment.
     *
     * @throws IllegalStateException naming the first violation
     */
    public void verify() {
        int edges = 0;
        int items = 0;
        Set<String> itemKeys = new HashSet<>();
        for (Map.Entry<Long, NodeEntry> en : nodes.entrySet()) {
            NodeEntry e = en.getValue();
            require(en.getKey() == e.id(), "node map key differs from node id " + e.id());
            require(Long.valueOf(e.id()).equals(byKey.get(Concepts.key(e.node().concept()))),
                    "concept index misses node " + e.id());
            for (String t : e.features().indexKeys()) require(withToken(t).contains(e.id()), "token index misses node " + e.id());
            for (Map.Entry<Long, GraphEdge> ed : e.edges().entrySet()) {
                GraphEdge edge = ed.getValue();
                require(edge.other(e.id()) == ed.getKey() && (edge.a() == e.id() || edge.b() == e.id()),
                        "edge " + edge + " stored under the wrong neighbour of " + e.id());
                NodeEntry other = nodes.get(ed.getKey());
                require(other != null, "edge " + edge + " points to a missing node");
                require(edge.equals(other.edges().get(e.id())), "edge " + edge + " is not symmetric");
                if (edge.a() == e.id()) edges++;
            }
            for (NodeEntry.ItemEntry i : e.items()) {
                require(i.item().nodeId() == e.id(), "item " + i.item().id() + " held by node " + e.id());
                require(itemKeys.add(e.id() + "/" + i.item().chatId() + "/" + i.item().contentHash()),
                        "duplicate item " + i.item().text() + " in node " + e.id());
                items++;
            }
        }
        require(byKey.size() == nodes.size(), "concept index size " + byKey.size() + " != " + nodes.size());
        for (Set<Long> ids : byToken.values()) {
            for (Long id : ids) require(nodes.containsKey(id), "token index names missing node " + id);
        }
        require(edges == edgeCount, "edge count " + edgeCount + " != " + edges);
        require(items == itemCount, "item count " + itemCount + " != " + items);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalStateException("graph snapshot invariant broken: " + message);
    }

    @Override
    public String toString() {
        return "GraphSnapshot[v" + version + ", " + nodes.size() + " nodes, " + edgeCount + " edges, "
                + itemCount + " items]";
    }
}
