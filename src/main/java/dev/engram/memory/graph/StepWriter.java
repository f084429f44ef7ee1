package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graph half of a build step (§2.3 step 4), applied inside one {@link GraphStore#write} against the
 * newest graph:
 * <ol>
 *   <li>each topic becomes (or finds) its node and gets its summary as a de-duplicated item;</li>
 *   <li>each topic is linked to its {@code similarTopicLimit} most similar other concepts whose
 *       {@link Concepts#similarity} reaches {@code similarTopicThreshold}, with strength ⌊cosine·10⌋ — raising a weaker edge,
 *       never lowering a stronger one;</li>
 *   <li>the sample's topics are linked pairwise (+1 each);</li>
 *   <li>the snippet's messages get {@code memorized_times + 1}, in one statement, in the same transaction
 *       (a failed step leaves them unmarked, so they can be sampled again).</li>
 * </ol>
 * Stateless; thread-safe (the mutation it is given is not, and is used on one thread).
 */
final class StepWriter {
    private static final Logger log = LoggerFactory.getLogger(StepWriter.class);

    /** What one step changed. */
    record StepResult(int topics, int itemsAdded, int edgesChanged) {
    }

    private final GraphSettings settings;

    StepWriter(GraphSettings settings) {
        this.settings = settings;
    }

    StepResult apply(GraphMutation m, Extraction e) {
        Set<Long> nodes = new LinkedHashSet<>();
        int added = 0;
        int edges = 0;
        for (Extraction.TopicMemory tm : e.memories()) {
            long id = m.ensureNode(tm.topic());
            GraphMutation.ItemResult r = m.addItem(id, e.snippet().chatId(), tm.summary(), tm.messageIds(), tm.createdAt());
            if (r.change() == GraphMutation.ItemChange.ADDED) {
                added++;
                log.debug("更新记忆: {} - {}", tm.topic(), tm.summary());
            }
            nodes.add(id);
            for (Similar s : similar(m.graph(), id)) {
                if (m.linkAtLeast(id, s.id(), (int) (s.similarity() * 10))) edges++;
            }
        }
        List<Long> ids = new ArrayList<>(nodes);
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                m.strengthen(ids.get(i), ids.get(j));
                edges++;
            }
        }
        m.markMemorized(e.snippet().ids());
        if (ids.size() > 1) log.debug("强化连接节点: {} 个概念两两相连", ids.size());
        return new StepResult(ids.size(), added, edges);
    }

    /** A concept similar to another, with its cosine. */
    record Similar(long id, double similarity) {
    }

    /** The most similar other concepts of {@code nodeId}, best first, found through the token index. */
    List<Similar> similar(SnapshotBuilder graph, long nodeId) {
        NodeEntry self = graph.entry(nodeId);
        Set<Long> candidates = new HashSet<>();
        for (String t : self.features().lookupKeys()) candidates.addAll(graph.withToken(t));
        candidates.remove(nodeId);
        List<Similar> out = new ArrayList<>();
        for (long c : candidates) {
            double sim = Concepts.similarity(self.features(), graph.entry(c).features());
            if (sim >= settings.similarTopicThreshold()) out.add(new Similar(c, sim));
        }
        out.sort(Comparator.comparingDouble(Similar::similarity).reversed().thenComparingLong(Similar::id));
        return out.size() > settings.similarTopicLimit() ? out.subList(0, settings.similarTopicLimit()) : out;
    }
}
