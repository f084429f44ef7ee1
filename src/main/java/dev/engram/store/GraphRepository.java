package dev.engram.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Persistence of the concept graph (tables {@code graph_nodes}, {@code graph_items}, {@code graph_edges},
 * {@code graph_runs}). Every method is one statement; called on a {@link Storage} obtained inside
 * {@link Storage#inTransaction}, it joins that transaction, which is how the graph writes one build step
 * atomically. Implementations are thread-safe; the graph package keeps one writer at a time anyway.
 *
 * <p>Invariants enforced by the schema: one node per {@code conceptKey}; one item per
 * (node, chat, content hash); one row per undirected edge, stored with {@code a < b}; strength &gt; 0.
 * Deleting a node deletes its items and edges.
 */
public interface GraphRepository {

    /** A stored concept node. */
    record NodeRow(long id, String concept, String conceptKey, Instant createdAt, Instant lastModified) {
        public NodeRow {
            Objects.requireNonNull(concept, "concept");
            Objects.requireNonNull(conceptKey, "conceptKey");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(lastModified, "lastModified");
        }
    }

    /** A stored memory item of a node. */
    record ItemRow(long id, long nodeId, String chatId, String text, String contentHash, List<Long> messageIds,
                   Instant createdAt) {
        public ItemRow {
            Objects.requireNonNull(chatId, "chatId");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(contentHash, "contentHash");
            Objects.requireNonNull(createdAt, "createdAt");
            messageIds = List.copyOf(messageIds);
        }
    }

    /** A stored undirected edge, {@code a < b}. */
    record EdgeRow(long a, long b, int strength, Instant createdAt, Instant lastModified) {
        public EdgeRow {
            if (a >= b) throw new IllegalArgumentException("edge must be canonical (a < b), was " + a + "-" + b);
            if (strength <= 0) throw new IllegalArgumentException("strength must be > 0, was " + strength);
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(lastModified, "lastModified");
        }
    }

    /** The last run of one maintenance operation. */
    record RunRow(String kind, Instant startedAt, long durationMillis, String outcome, String summary) {
        public RunRow {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(summary, "summary");
        }
    }

    List<NodeRow> nodes();

    List<ItemRow> items();

    List<EdgeRow> edges();

    List<RunRow> runs();

    /**
     * Inserts a node and returns its id; for a {@code conceptKey} already stored (written by another instance of a
     * cluster), writes nothing and returns the stored node's id.
     */
    long insertNode(String concept, String conceptKey, Instant createdAt);

    void touchNode(long id, Instant lastModified);

    /** Deletes a node with its items and edges. */
    void deleteNode(long id);

    /** Inserts an item and returns its id; for a (node, chat, hash) already stored, writes nothing and returns that item's id. */
    long insertItem(long nodeId, String chatId, String text, String contentHash, List<Long> messageIds,
                    Instant createdAt);

    /** Replaces an item's provenance and time (its text, and so its hash, never changes). */
    void updateItem(long id, List<Long> messageIds, Instant createdAt);

    /** Moves an item to another node (concept merge). */
    void moveItem(long id, long nodeId);

    void deleteItem(long id);

    /** Inserts the edge or replaces its strength and last-modified time (its creation time is kept). */
    void upsertEdge(EdgeRow edge);

    void deleteEdge(long a, long b);

    /** Inserts or replaces the last run of {@code run.kind()}. */
    void recordRun(RunRow run);
}
