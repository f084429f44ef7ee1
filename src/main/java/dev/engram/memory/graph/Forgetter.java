package dev.engram.memory.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One forget pass (the original's {@code operation_forget_topic}, §2.3, with D-H7 fixed), inside one
 * graph write:
 * <ol>
 *   <li>check max(1, ⌊N·p⌋) random nodes and, separately, max(1, ⌊E·p⌋) random edges — a graph without
 *       edges still forgets nodes (the original skipped the whole pass);</li>
 *   <li>an edge untouched for longer than {@code forgetTime} loses 1 strength (modified now), and is
 *       removed at 0;</li>
 *   <li>a node without items is removed; a stale node (unmodified for longer than {@code forgetTime})
 *       with several items drops one random item and is marked modified now (so the next pass does not
 *       strip it again at once), with one item it is removed;</li>
 *   <li>near-duplicate items of each checked node are merged ({@code forgetMergeThreshold}).</li>
 * </ol>
 * {@link PinnedItems Pinned} items are never dropped or merged away, so a concept holding one is never removed
 * (its other items still are).
 * Stateless; the mutation and random generator are used on the calling thread only.
 */
final class Forgetter {
    private final GraphSettings settings;

    Forgetter(GraphSettings settings) {
        this.settings = settings;
    }

    ForgetReport forget(GraphMutation m, RandomGenerator random, PinnedItems pinned) {
        Instant stale = m.now().minus(settings.forgetTime());
        SnapshotBuilder g = m.graph();
        List<Long> nodeIds = ids(g);
        List<GraphEdge> allEdges = edges(g);
        List<Long> nodes = RandomPick.pick(nodeIds, RandomPick.size(nodeIds.size(), settings.forgetPercentage()), random);
        List<GraphEdge> edges = RandomPick.pick(allEdges, RandomPick.size(allEdges.size(), settings.forgetPercentage()), random);
        int weakened = 0;
        int edgesRemoved = 0;
        for (GraphEdge e : edges) {
            if (!e.lastModified().isBefore(stale)) continue;
            m.setStrength(e, e.strength() - 1);
            if (e.strength() - 1 <= 0) edgesRemoved++;
            else weakened++;
        }
        int forgotten = 0;
        int nodesRemoved = 0;
        int merged = 0;
        for (long id : nodes) {
            NodeEntry entry = g.entry(id);
            if (entry == null) continue;
            if (entry.items().isEmpty()) {
                m.removeNode(id);
                nodesRemoved++;
                continue;
            }
            List<GraphItem> droppable = new ArrayList<>();
            for (NodeEntry.ItemEntry i : entry.items()) if (!pinned.contains(i.item())) droppable.add(i.item());
            // a stale concept whose items are all pinned stays as it is
            if (entry.node().lastModified().isBefore(stale) && !droppable.isEmpty()) {
                if (entry.items().size() > 1) {
                    m.removeItem(droppable.get(random.nextInt(droppable.size())));
                    forgotten++;
                } else {
                    m.removeNode(id);
                    nodesRemoved++;
                    forgotten++;
                    continue;
                }
            }
            merged += ItemMerger.mergeWithin(m, id, settings.forgetMergeThreshold(), pinned);
        }
        return new ForgetReport(m.now(), 0, nodes.size(), edges.size(), weakened, edgesRemoved, forgotten, nodesRemoved,
                merged);
    }

    static List<Long> ids(SnapshotBuilder g) {
        ArrayList<Long> ids = new ArrayList<>();
        for (NodeEntry e : g.entries()) ids.add(e.id());
        ids.sort(Comparator.naturalOrder()); // a fixed order, so a seeded generator picks the same nodes
        return ids;
    }

    private static List<GraphEdge> edges(SnapshotBuilder g) {
        ArrayList<GraphEdge> out = new ArrayList<>();
        for (NodeEntry e : g.entries()) {
            for (GraphEdge edge : e.edges().values()) if (edge.a() == e.id()) out.add(edge);
        }
        out.sort(Comparator.comparingLong(GraphEdge::a).thenComparingLong(GraphEdge::b));
        return out;
    }
}
