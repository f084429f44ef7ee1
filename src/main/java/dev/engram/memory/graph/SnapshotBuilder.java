package dev.engram.memory.graph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Derives the next {@link GraphSnapshot} from a base one. Copies the top-level maps once (O(nodes)
 * pointer copies) and replaces only the node entries that change. Reads see the changes made so far.
 *
 * <p>Not thread-safe: used by the single writer inside {@link GraphStore#write}. Usable once:
 * after {@link #build()} every call fails.
 */
final class SnapshotBuilder {
    private final long version;
    private Map<Long, NodeEntry> nodes;
    private final Map<String, Long> byKey;
    private final Map<String, Set<Long>> byToken;
    private int edgeCount;
    private int itemCount;

    SnapshotBuilder(GraphSnapshot base) {
        this.version = base.version() + 1;
        this.nodes = new HashMap<>(base.nodeMap());
        this.byKey = new HashMap<>(base.keyMap());
        this.byToken = new HashMap<>(base.tokenMap());
        this.edgeCount = base.edgeCount();
        this.itemCount = base.itemCount();
    }

    NodeEntry entry(long id) {
        return live().get(id);
    }

    Long idOfKey(String key) {
        live();
        return byKey.get(key);
    }

    Set<Long> withToken(String token) {
        live();
        return byToken.getOrDefault(token, Set.of());
    }

    Iterable<NodeEntry> entries() {
        return live().values();
    }

    int nodeCount() {
        return live().size();
    }

    int edgeCount() {
        return edgeCount;
    }

    /** Adds a new node without items or edges. */
    void addNode(GraphNode node) {
        NodeEntry e = NodeEntry.of(node);
        if (live().putIfAbsent(node.id(), e) != null) throw new IllegalStateException("node " + node.id() + " exists");
        String key = Concepts.key(node.concept());
        if (byKey.putIfAbsent(key, node.id()) != null) throw new IllegalStateException("concept " + key + " exists");
        for (String t : e.features().indexKeys()) {
            Set<Long> ids = new HashSet<>(byToken.getOrDefault(t, Set.of()));
            ids.add(node.id());
            byToken.put(t, Set.copyOf(ids));
        }
    }

    /** Replaces a node's record (e.g. a new last-modified time), keeping its items and edges. */
    void updateNode(GraphNode node) {
        replace(existing(node.id()).withNode(node));
    }

    /** Removes a node with its items and edges. */
    void removeNode(long id) {
        NodeEntry e = existing(id);
        for (Long neighbour : e.edges().keySet()) {
            replace(existing(neighbour).withoutEdge(id));
            edgeCount--;
        }
        itemCount -= e.items().size();
        nodes.remove(id);
        byKey.remove(Concepts.key(e.node().concept()));
        for (String t : e.features().indexKeys()) {
            Set<Long> ids = new HashSet<>(byToken.getOrDefault(t, Set.of()));
            ids.remove(id);
            if (ids.isEmpty()) byToken.remove(t);
            else byToken.put(t, Set.copyOf(ids));
        }
    }

    /** Adds an item to its node, or replaces the node's item with the same id. */
    void putItem(NodeEntry.ItemEntry item) {
        NodeEntry e = existing(item.item().nodeId());
        boolean present = e.items().stream().anyMatch(i -> i.item().id() == item.item().id());
        replace(e.withItem(item));
        if (!present) itemCount++;
    }

    void removeItem(long nodeId, long itemId) {
        NodeEntry e = existing(nodeId);
        NodeEntry after = e.withoutItem(itemId);
        if (after.items().size() == e.items().size()) throw new IllegalStateException("no item " + itemId);
        replace(after);
        itemCount--;
    }

    /** Adds or replaces the edge in both endpoints. */
    void putEdge(GraphEdge edge) {
        NodeEntry a = existing(edge.a());
        NodeEntry b = existing(edge.b());
        if (!a.edges().containsKey(edge.b())) edgeCount++;
        replace(a.withEdge(edge));
        replace(b.withEdge(edge));
    }

    void removeEdge(long x, long y) {
        NodeEntry a = existing(x);
        if (!a.edges().containsKey(y)) throw new IllegalStateException("no edge " + x + "-" + y);
        replace(a.withoutEdge(y));
        replace(existing(y).withoutEdge(x));
        edgeCount--;
    }

    /** The new snapshot; the builder is unusable afterwards. */
    GraphSnapshot build() {
        GraphSnapshot s = new GraphSnapshot(version, live(), byKey, byToken, edgeCount, itemCount);
        nodes = null;
        return s;
    }

    private NodeEntry existing(long id) {
        NodeEntry e = live().get(id);
        if (e == null) throw new IllegalStateException("no node " + id);
        return e;
    }

    private void replace(NodeEntry e) {
        nodes.put(e.id(), e);
    }

    private Map<Long, NodeEntry> live() {
        if (nodes == null) throw new IllegalStateException("snapshot already built");
        return nodes;
    }
}
