package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.engram.text.TextAnalysis;

/**
 * Activation recall over one {@link GraphSnapshot} (the original's {@code get_memory_from_text}, §2.3,
 * with D-H9 fixed):
 * <ol>
 *   <li>keywords of the query by local extraction ({@link TextAnalysis#keywords}, no LLM);</li>
 *   <li>each keyword activates the concepts whose {@link Concepts#similarity} with it reaches
 *       {@code recallMatchThreshold} (not only exact names), with that similarity as seed activation (at most
 *       {@value #SEEDS_PER_KEYWORD} concepts per keyword, found through the token index);</li>
 *   <li>activation spreads up to {@code maxDepth} edges, multiplied by s/(s+1) for an edge of strength s
 *       (0.5 over a strength-1 edge, approaching 1 for strong ones; the original subtracted 1/s, which
 *       stopped at every strength-1 edge), keeping each node's best path per seed and summing over
 *       seeds;</li>
 *   <li>the most activated nodes holding items of the chat are kept, and their items ranked by
 *       activation share × (0.4 + 0.6 × similarity with the query).</li>
 * </ol>
 * Stateless and thread-safe; reads only the immutable snapshot it is given.
 */
final class ActivationSearch {
    static final int MAX_KEYWORDS = 8;
    static final int SEEDS_PER_KEYWORD = 10;
    static final double MIN_ACTIVATION = 0.01;

    /** The keywords, the seed activation of matched concepts, and the summed activation of every node reached. */
    record Activation(List<String> keywords, Map<Long, Double> seeds, Map<Long, Double> levels) {
    }

    /** A ranked item with the node it came through. */
    record ScoredItem(GraphItem item, double score, double activation) {
    }

    private final GraphSettings settings;

    ActivationSearch(GraphSettings settings) {
        this.settings = settings;
    }

    static List<String> keywords(String query) {
        List<String> kws = TextAnalysis.keywords(query, MAX_KEYWORDS);
        if (!kws.isEmpty()) return kws;
        return new ArrayList<>(new LinkedHashSet<>(TextAnalysis.tokens(query))).stream().limit(MAX_KEYWORDS).toList();
    }

    Activation activate(GraphSnapshot g, String query) {
        List<String> keywords = keywords(query);
        Map<Long, Double> seeds = new HashMap<>();
        for (String kw : keywords) {
            for (Map.Entry<Long, Double> m : matches(g, kw).entrySet()) seeds.merge(m.getKey(), m.getValue(), Double::sum);
        }
        Map<Long, Double> levels = new HashMap<>();
        for (Map.Entry<Long, Double> seed : seeds.entrySet()) spread(g, seed.getKey(), seed.getValue(), levels);
        return new Activation(keywords, seeds, levels);
    }

    /** Concepts matching one keyword, with their cosine, best {@value #SEEDS_PER_KEYWORD}. */
    Map<Long, Double> matches(GraphSnapshot g, String keyword) {
        Concepts.Features kf = Concepts.features(keyword);
        Map<Long, Double> found = new HashMap<>();
        Long exact = g.idOfKey(Concepts.key(keyword));
        if (exact != null) found.put(exact, 1.0);
        Set<Long> candidates = new HashSet<>();
        for (String t : kf.lookupKeys()) candidates.addAll(g.withToken(t));
        for (long c : candidates) {
            double sim = Concepts.similarity(kf, g.entry(c).features());
            if (sim >= settings.recallMatchThreshold()) found.merge(c, sim, Math::max);
        }
        if (found.size() <= SEEDS_PER_KEYWORD) return found;
        Map<Long, Double> best = new HashMap<>();
        found.entrySet().stream().sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
                .limit(SEEDS_PER_KEYWORD).forEach(e -> best.put(e.getKey(), e.getValue()));
        return best;
    }

    private void spread(GraphSnapshot g, long start, double initial, Map<Long, Double> total) {
        Map<Long, Double> best = new HashMap<>();
        best.put(start, initial);
        Set<Long> frontier = Set.of(start);
        for (int depth = 0; depth < settings.maxDepth() && !frontier.isEmpty(); depth++) {
            Set<Long> next = new HashSet<>();
            for (long n : frontier) {
                double a = best.get(n);
                for (GraphEdge e : g.entry(n).edges().values()) {
                    double passed = a * e.strength() / (e.strength() + 1.0);
                    long v = e.other(n);
                    if (passed >= MIN_ACTIVATION && passed > best.getOrDefault(v, 0.0)) {
                        best.put(v, passed);
                        next.add(v);
                    }
                }
            }
            frontier = next;
        }
        best.forEach((node, a) -> total.merge(node, a, Double::sum));
    }

    /** The most activated nodes holding items of the chat, best first. */
    List<Map.Entry<Long, Double>> topNodes(GraphSnapshot g, Activation a, String chatId, int limit) {
        return a.levels().entrySet().stream()
                .filter(e -> g.entry(e.getKey()) != null && g.entry(e.getKey()).hasChat(chatId))
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).toList();
    }

    /** The best {@code k} items of the chat, one per distinct text. */
    List<ScoredItem> rank(GraphSnapshot g, Activation a, String chatId, String query, int k) {
        int nodeLimit = Math.max(settings.recallNodes(), (k + settings.itemsPerNode() - 1) / settings.itemsPerNode());
        List<Map.Entry<Long, Double>> nodes = topNodes(g, a, chatId, nodeLimit);
        if (nodes.isEmpty()) return List.of();
        double max = nodes.getFirst().getValue();
        Concepts.Features queryFeatures = Concepts.features(query);
        Map<String, ScoredItem> byText = new HashMap<>();
        for (Map.Entry<Long, Double> n : nodes) {
            List<ScoredItem> own = new ArrayList<>();
            for (NodeEntry.ItemEntry ie : g.entry(n.getKey()).items()) {
                if (!ie.item().chatId().equals(chatId)) continue;
                double sim = Concepts.similarity(queryFeatures, ie.features());
                own.add(new ScoredItem(ie.item(), n.getValue() / max * (0.4 + 0.6 * sim), n.getValue()));
            }
            own.sort(Comparator.comparingDouble(ScoredItem::score).reversed()
                    .thenComparing(s -> s.item().createdAt(), Comparator.reverseOrder()));
            for (ScoredItem s : own.subList(0, Math.min(settings.itemsPerNode(), own.size()))) {
                byText.merge(s.item().contentHash(), s, (x, y) -> x.score() >= y.score() ? x : y);
            }
        }
        return byText.values().stream()
                .sorted(Comparator.comparingDouble(ScoredItem::score).reversed()
                        .thenComparingLong(s -> s.item().id()))
                .limit(k).toList();
    }
}
