package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.engram.text.TextSimilarity;
import dev.engram.store.GraphRepository;
import dev.engram.store.MessageRepository;

/**
 * The changes of one graph write: every operation updates the next snapshot ({@link SnapshotBuilder})
 * and issues the matching statement in the write's transaction, so the database and the published
 * snapshot change together or not at all. Only changed rows are written (never every node, D-H2).
 *
 * <p>Edge rules (D-H7): {@link #strengthen} adds one (creating the edge with strength 1);
 * {@link #linkAtLeast} raises a weaker edge to a minimum and never lowers a stronger one; an edge keeps
 * its creation time for life.
 *
 * <p>Not thread-safe: valid only inside the {@link GraphStore#write} call that created it, which holds
 * the graph's writer lock.
 */
final class GraphMutation {
    /** What {@link #addItem} did. */
    enum ItemChange { ADDED, MERGED, UNCHANGED }

    /** An item after {@link #addItem}, and what happened to it. */
    record ItemResult(GraphItem item, ItemChange change) {
    }

    private final SnapshotBuilder graph;
    private final GraphRepository repo;
    private final MessageRepository messages;
    private final Instant now;
    private final Set<String> changedChats = new HashSet<>();
    private int changes;

    GraphMutation(SnapshotBuilder graph, GraphRepository repo, MessageRepository messages, Instant now) {
        this.graph = graph;
        this.repo = repo;
        this.messages = messages;
        this.now = now;
    }

    Instant now() {
        return now;
    }

    /** The graph as changed so far in this write. */
    SnapshotBuilder graph() {
        return graph;
    }

    /** The id of the concept's node, creating the node if it is new. */
    long ensureNode(String concept) {
        String display = concept.strip();
        String key = Concepts.key(display);
        if (key.isEmpty()) throw new IllegalArgumentException("concept must not be blank");
        Long id = graph.idOfKey(key);
        if (id != null) return id;
        long newId = repo.insertNode(display, key, now);
        graph.addNode(new GraphNode(newId, display, now, now));
        changes++;
        return newId;
    }

    /**
     * Adds a memory to a node, de-duplicated by (node, chat, normalised text): a duplicate only gains the
     * new message ids. Adding or merging marks the node modified now.
     */
    ItemResult addItem(long nodeId, String chatId, String text, Collection<Long> messageIds, Instant createdAt) {
        Objects.requireNonNull(chatId, "chatId");
        String hash = TextSimilarity.contentHash(text);
        for (NodeEntry.ItemEntry e : entry(nodeId).items()) {
            GraphItem old = e.item();
            if (!old.chatId().equals(chatId) || !old.contentHash().equals(hash)) continue;
            List<Long> union = union(old.messageIds(), messageIds);
            Instant at = old.createdAt().isAfter(createdAt) ? old.createdAt() : createdAt;
            if (union.equals(old.messageIds()) && at.equals(old.createdAt())) return new ItemResult(old, ItemChange.UNCHANGED);
            GraphItem merged = updateItem(old, union, at);
            return new ItemResult(merged, ItemChange.MERGED);
        }
        List<Long> ids = union(List.of(), messageIds);
        String stored = text.strip();
        long id = repo.insertItem(nodeId, chatId, stored, hash, ids, createdAt);
        GraphItem item = new GraphItem(id, nodeId, chatId, stored, hash, ids, createdAt);
        graph.putItem(NodeEntry.ItemEntry.of(item));
        touch(nodeId);
        changedChats.add(chatId);
        changes++;
        return new ItemResult(item, ItemChange.ADDED);
    }

    /** Replaces an item's provenance and time; marks its node modified. */
    GraphItem updateItem(GraphItem item, List<Long> messageIds, Instant createdAt) {
        NodeEntry.ItemEntry old = itemEntry(item);
        GraphItem updated = new GraphItem(item.id(), item.nodeId(), item.chatId(), item.text(), item.contentHash(),
                messageIds, createdAt);
        repo.updateItem(item.id(), updated.messageIds(), createdAt);
        graph.putItem(new NodeEntry.ItemEntry(updated, old.features()));
        touch(item.nodeId());
        changedChats.add(item.chatId());
        changes++;
        return updated;
    }

    /** Moves an item to another node (which must not hold a duplicate of it). */
    void moveItem(GraphItem item, long toNode) {
        NodeEntry.ItemEntry old = itemEntry(item);
        repo.moveItem(item.id(), toNode);
        graph.removeItem(item.nodeId(), item.id());
        GraphItem moved = new GraphItem(item.id(), toNode, item.chatId(), item.text(), item.contentHash(),
                item.messageIds(), item.createdAt());
        graph.putItem(new NodeEntry.ItemEntry(moved, old.features()));
        touch(toNode);
        changedChats.add(item.chatId());
        changes++;
    }

    /** Drops an item; marks its node modified (so forgetting does not hit it again at once, D-H7). */
    void removeItem(GraphItem item) {
        repo.deleteItem(item.id());
        graph.removeItem(item.nodeId(), item.id());
        touch(item.nodeId());
        changedChats.add(item.chatId());
        changes++;
    }

    /** Removes a node with its items and edges. */
    void removeNode(long id) {
        for (NodeEntry.ItemEntry e : entry(id).items()) changedChats.add(e.item().chatId());
        repo.deleteNode(id);
        graph.removeNode(id);
        changes++;
    }

    /** Sets the node's last-modified time to now. */
    void touch(long nodeId) {
        GraphNode node = entry(nodeId).node();
        if (node.lastModified().equals(now)) return;
        repo.touchNode(nodeId, now);
        graph.updateNode(node.touched(now));
        changes++;
    }

    /** Adds one to the edge between {@code x} and {@code y}, creating it with strength 1. No self-loops. */
    void strengthen(long x, long y) {
        if (x == y) return;
        GraphEdge old = entry(x).edges().get(y);
        putEdge(old == null ? GraphEdge.between(x, y, 1, now, now) : old.withStrength(old.strength() + 1, now));
    }

    /**
     * Makes the edge at least {@code strength} strong: creates it, or raises a weaker one; a stronger edge
     * is left alone (the original overwrote it, D-H7).
     *
     * @return whether anything changed
     */
    boolean linkAtLeast(long x, long y, int strength) {
        if (x == y || strength <= 0) return false;
        GraphEdge old = entry(x).edges().get(y);
        if (old != null && old.strength() >= strength) return false;
        putEdge(old == null ? GraphEdge.between(x, y, strength, now, now) : old.withStrength(strength, now));
        return true;
    }

    /** Sets an existing edge's strength (modified now), removing it when the strength drops to 0. */
    void setStrength(GraphEdge edge, int strength) {
        if (strength <= 0) {
            repo.deleteEdge(edge.a(), edge.b());
            graph.removeEdge(edge.a(), edge.b());
            changes++;
        } else {
            putEdge(edge.withStrength(strength, now));
        }
    }

    /** Writes an edge as given (used when merging concepts). */
    void putEdge(GraphEdge edge) {
        repo.upsertEdge(new GraphRepository.EdgeRow(edge.a(), edge.b(), edge.strength(), edge.createdAt(),
                edge.lastModified()));
        graph.putEdge(edge);
        changes++;
    }

    /** Adds one to {@code memorized_times} of the messages, in one statement. */
    void markMemorized(Collection<Long> messageIds) {
        messages.incrementMemorized(messageIds);
    }

    Set<String> changedChats() {
        return Set.copyOf(changedChats);
    }

    int changes() {
        return changes;
    }

    private NodeEntry entry(long id) {
        NodeEntry e = graph.entry(id);
        if (e == null) throw new IllegalArgumentException("no node " + id);
        return e;
    }

    private NodeEntry.ItemEntry itemEntry(GraphItem item) {
        for (NodeEntry.ItemEntry e : entry(item.nodeId()).items()) if (e.item().id() == item.id()) return e;
        throw new IllegalArgumentException("no item " + item.id() + " in node " + item.nodeId());
    }

    private static List<Long> union(Collection<Long> a, Collection<Long> b) {
        TreeSet<Long> s = new TreeSet<>(a);
        s.addAll(b);
        return List.copyOf(s);
    }
}
