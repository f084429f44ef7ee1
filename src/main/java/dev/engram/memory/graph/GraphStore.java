package dev.engram.memory.graph;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.GraphRepository;
import dev.engram.store.Storage;

/**
 * Owns the current {@link GraphSnapshot} and is the graph's only writer.
 *
 * <p>Concurrency: readers call {@link #snapshot()}, a volatile read of an {@link AtomicReference}; they
 * never lock and never see a half-applied change. Writers go through {@link #write}, which holds one
 * {@link ReentrantLock} (not {@code synchronized}: writers may be virtual threads) for the duration of
 * one database transaction and no longer; nobody holds it while waiting for an LLM. Each write starts
 * from the newest snapshot, so a write never overwrites another (a store arriving during a build is
 * merged, not lost).
 *
 * <p>Steps of a write: (1) take the lock; (2) derive a builder from the current snapshot; (3) run the
 * work inside one transaction, every change going to both; (4) on commit, publish the new snapshot
 * (on failure the builder is dropped, so snapshot and database stay equal); (5) release the lock;
 * (6) tell the listener.
 */
final class GraphStore {
    private static final Logger log = LoggerFactory.getLogger(GraphStore.class);

    private final Storage storage;
    private final Clock clock;
    private final GraphChangeListener listener;
    private final ReentrantLock writer = new ReentrantLock();
    private final AtomicReference<GraphSnapshot> current = new AtomicReference<>(GraphSnapshot.empty());

    GraphStore(Storage storage, Clock clock, GraphChangeListener listener) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The newest published snapshot. Lock-free. */
    GraphSnapshot snapshot() {
        return current.get();
    }

    /** Runs {@code work} as one transaction against the newest graph and publishes the result. */
    <T> T write(Function<GraphMutation, T> work) {
        Objects.requireNonNull(work, "work");
        Written<T> written;
        GraphSnapshot published = null;
        writer.lock();
        try {
            SnapshotBuilder builder = new SnapshotBuilder(current.get());
            written = storage.inTransaction(tx -> {
                GraphMutation m = new GraphMutation(builder, tx.graph(), tx.messages(), clock.instant());
                T r = work.apply(m);
                return new Written<>(r, m.changes(), m.changedChats());
            });
            if (written.changes() > 0) {
                published = builder.build();
                current.set(published);
            }
        } finally {
            writer.unlock();
        }
        if (published != null) notifyListener(published.version(), written.chats());
        return written.result();
    }

    /** What one write's transaction returned. */
    private record Written<T>(T result, int changes, Set<String> chats) {
    }

    /** Replaces the graph with what the database holds (at start). */
    GraphSnapshot load() {
        writer.lock();
        try {
            GraphSnapshot loaded = storage.inTransaction(tx -> assemble(tx.graph().nodes(), tx.graph().items(),
                    tx.graph().edges(), current.get().version() + 1));
            current.set(loaded);
            return loaded;
        } finally {
            writer.unlock();
        }
    }

    /** The stored runs of build / forget / consolidate. */
    List<GraphRepository.RunRow> runs() {
        return storage.graph().runs();
    }

    void recordRun(GraphRepository.RunRow run) {
        storage.graph().recordRun(run);
    }

    private void notifyListener(long version, Set<String> chats) {
        try {
            listener.graphChanged(version, chats);
        } catch (RuntimeException e) {
            log.warn("graph change listener failed; ignored", e);
        }
    }

    /** Builds a snapshot from rows in one pass (no per-node copying). */
    static GraphSnapshot assemble(List<GraphRepository.NodeRow> nodeRows, List<GraphRepository.ItemRow> itemRows,
                                  List<GraphRepository.EdgeRow> edgeRows, long version) {
        Map<Long, List<NodeEntry.ItemEntry>> items = new HashMap<>();
        for (GraphRepository.ItemRow r : itemRows) {
            GraphItem item = new GraphItem(r.id(), r.nodeId(), r.chatId(), r.text(), r.contentHash(), r.messageIds(),
                    r.createdAt());
            items.computeIfAbsent(r.nodeId(), k -> new ArrayList<>()).add(NodeEntry.ItemEntry.of(item));
        }
        Map<Long, Map<Long, GraphEdge>> edges = new HashMap<>();
        for (GraphRepository.EdgeRow r : edgeRows) {
            GraphEdge e = new GraphEdge(r.a(), r.b(), r.strength(), r.createdAt(), r.lastModified());
            edges.computeIfAbsent(e.a(), k -> new HashMap<>()).put(e.b(), e);
            edges.computeIfAbsent(e.b(), k -> new HashMap<>()).put(e.a(), e);
        }
        Map<Long, NodeEntry> nodes = new HashMap<>();
        Map<String, Long> byKey = new HashMap<>();
        Map<String, Set<Long>> byToken = new HashMap<>();
        for (GraphRepository.NodeRow r : nodeRows) {
            GraphNode node = new GraphNode(r.id(), r.concept(), r.createdAt(), r.lastModified());
            NodeEntry e = new NodeEntry(node, Concepts.features(node.concept()), items.getOrDefault(r.id(), List.of()),
                    edges.getOrDefault(r.id(), Map.of()));
            nodes.put(r.id(), e);
            byKey.put(r.conceptKey(), r.id());
            for (String t : e.features().indexKeys()) byToken.computeIfAbsent(t, k -> new HashSet<>()).add(r.id());
        }
        byToken.replaceAll((k, v) -> Set.copyOf(v));
        return new GraphSnapshot(version, nodes, byKey, byToken, edgeRows.size(), itemRows.size());
    }
}
