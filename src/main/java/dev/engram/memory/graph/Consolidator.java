package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One consolidation pass, inside one graph write — a real consolidation, not a second build (D-H4):
 * <ol>
 *   <li>check max(1, ⌊N·{@code consolidationCheckPercentage}⌋) random nodes;</li>
 *   <li>merge each checked concept with its near-duplicates ({@link Concepts#duplicateSimilarity} ≥
 *       {@code consolidationThreshold}, candidates from the token index): the concept with the most
 *       items survives (the older on a tie) and takes over the others' items (duplicates only add
 *       provenance) and edges (an edge present on both sides keeps the larger strength and the earlier
 *       creation time; a link between the merged concepts disappears);</li>
 *   <li>merge near-duplicate items of the survivor ({@link ItemMerger}, same threshold; a
 *       {@link PinnedItems pinned} item is never merged away).</li>
 * </ol>
 * Stateless; the mutation and random generator are used on the calling thread only.
 */
final class Consolidator {
    private final GraphSettings settings;

    Consolidator(GraphSettings settings) {
        this.settings = settings;
    }

    ConsolidateReport consolidate(GraphMutation m, RandomGenerator random, PinnedItems pinned) {
        List<Long> all = Forgetter.ids(m.graph());
        List<Long> checked = RandomPick.pick(all, RandomPick.size(all.size(), settings.consolidationCheckPercentage()), random);
        int concepts = 0;
        int items = 0;
        for (long id : checked) {
            if (m.graph().entry(id) == null) continue; // merged into an earlier survivor
            List<Long> group = duplicatesOf(m.graph(), id);
            long survivor = id;
            if (!group.isEmpty()) {
                group.add(id);
                survivor = group.stream().max(Comparator.comparingInt((Long n) -> m.graph().entry(n).items().size())
                        .thenComparing(Comparator.<Long>reverseOrder())).orElseThrow();
                for (long other : group) {
                    if (other == survivor) continue;
                    absorb(m, survivor, other);
                    concepts++;
                }
            }
            items += ItemMerger.mergeWithin(m, survivor, settings.consolidationThreshold(), pinned);
        }
        return new ConsolidateReport(m.now(), 0, checked.size(), concepts, items);
    }

    /** Other concepts that name the same thing as {@code id}. */
    private List<Long> duplicatesOf(SnapshotBuilder g, long id) {
        NodeEntry self = g.entry(id);
        Set<Long> candidates = new HashSet<>();
        for (String t : self.features().lookupKeys()) candidates.addAll(g.withToken(t));
        candidates.remove(id);
        List<Long> out = new ArrayList<>();
        for (long c : candidates) {
            NodeEntry other = g.entry(c);
            double sim = Concepts.duplicateSimilarity(self.node().concept(), self.features().tokens(),
                    other.node().concept(), other.features().tokens());
            if (sim >= settings.consolidationThreshold()) out.add(c);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Moves everything of {@code goneId} to {@code keepId} and removes {@code goneId}. */
    private static void absorb(GraphMutation m, long keepId, long goneId) {
        NodeEntry gone = m.graph().entry(goneId);
        for (NodeEntry.ItemEntry ie : gone.items()) {
            GraphItem item = ie.item();
            GraphItem twin = null;
            for (NodeEntry.ItemEntry k : m.graph().entry(keepId).items()) {
                if (k.item().chatId().equals(item.chatId()) && k.item().contentHash().equals(item.contentHash())) twin = k.item();
            }
            if (twin == null) m.moveItem(item, keepId);
            else ItemMerger.absorb(m, twin, item);
        }
        for (GraphEdge e : gone.edges().values()) {
            long other = e.other(goneId);
            if (other == keepId) continue;
            GraphEdge existing = m.graph().entry(keepId).edges().get(other);
            int strength = existing == null ? e.strength() : Math.max(existing.strength(), e.strength());
            var created = existing == null || e.createdAt().isBefore(existing.createdAt()) ? e.createdAt() : existing.createdAt();
            m.putEdge(GraphEdge.between(keepId, other, strength, created, m.now()));
        }
        m.removeNode(goneId);
        m.touch(keepId);
    }
}
