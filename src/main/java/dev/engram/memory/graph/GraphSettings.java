package dev.engram.memory.graph;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;


/**
 * Settings of the graph memory: the original's {@code [memory]} keys plus the values the original hard-coded,
 * named here. Immutable; validated on construction. The fields with a {@code [memory]} key (distribution,
 * sample num/length, compress rate, max memorized times, ban words, forget time/percentage, consolidation
 * threshold/percentage) have no default here: the configuration holds it and the composition root maps it
 * in. The hard-coded values are the {@link #builder()}'s starting values (documented on each parameter).
 *
 * @param distribution           bimodal sampling: mean h, std h, weight, mean h, std h, weight
 * @param sampleNum              snippets sampled per build
 * @param sampleLength           messages per snippet at most
 * @param compressRate           topics per rendered line (topic count rule)
 * @param maxMemorizedTimes      a snippet holding a message sampled this often is rejected
 * @param minWindow              shortest snippet window (original: 300 s)
 * @param maxWindow              longest snippet window (original: 1800 s)
 * @param retryShift             how far back a rejected snippet's start moves (original: 120 s)
 * @param snippetTries           tries per sampled time (original: 3)
 * @param banWords               topics containing one of these (case- and width-insensitive) are dropped
 * @param similarTopicThreshold  similarity (token or Han-gram cosine) at which a new topic links to an existing concept (original: 0.7)
 * @param similarTopicLimit      most similar concepts linked per topic (original: 3)
 * @param forgetTime             age after which nodes and edges fade
 * @param forgetPercentage       share of nodes and edges checked per forget pass
 * @param forgetMergeThreshold   items of a checked node at least this similar are merged while forgetting (original: 0.8)
 * @param consolidationThreshold items or concepts at least this similar are merged by consolidation
 * @param consolidationCheckPercentage share of nodes checked per consolidation pass
 * @param recallMatchThreshold   similarity (token or Han-gram cosine) at which a query keyword activates a concept (0.5)
 * @param maxDepth               how many edges activation travels at most (original: 3)
 * @param recallNodes            most activated nodes whose items are ranked (5)
 * @param itemsPerNode           most items taken from one node (3)
 * @param maxParallelSamples     snippets whose LLM calls are in flight at once (the LLM client limits calls too) (16)
 * @param zone                   zone of the times rendered into snippets (default: the system zone)
 */
public record GraphSettings(List<Double> distribution, int sampleNum, int sampleLength, double compressRate,
                            int maxMemorizedTimes, Duration minWindow, Duration maxWindow, Duration retryShift,
                            int snippetTries, List<String> banWords, double similarTopicThreshold,
                            int similarTopicLimit, Duration forgetTime, double forgetPercentage,
                            double forgetMergeThreshold, double consolidationThreshold,
                            double consolidationCheckPercentage, double recallMatchThreshold, int maxDepth,
                            int recallNodes, int itemsPerNode, int maxParallelSamples, ZoneId zone) {
    public GraphSettings {
        distribution = List.copyOf(distribution);
        banWords = List.copyOf(banWords);
        Objects.requireNonNull(minWindow, "minWindow");
        Objects.requireNonNull(maxWindow, "maxWindow");
        Objects.requireNonNull(retryShift, "retryShift");
        Objects.requireNonNull(forgetTime, "forgetTime");
        Objects.requireNonNull(zone, "zone");
        if (distribution.size() != 6 || distribution.get(1) <= 0 || distribution.get(4) <= 0
                || distribution.get(2) < 0 || distribution.get(5) < 0 || distribution.get(2) + distribution.get(5) <= 0) {
            throw new IllegalArgumentException("distribution must be [mean1, std1 > 0, weight1 >= 0, mean2, std2 > 0, "
                    + "weight2 >= 0] with weight1 + weight2 > 0, was " + distribution);
        }
        positive(sampleNum, "sampleNum");
        positive(sampleLength, "sampleLength");
        positive(maxMemorizedTimes, "maxMemorizedTimes");
        positive(snippetTries, "snippetTries");
        positive(similarTopicLimit, "similarTopicLimit");
        positive(maxDepth, "maxDepth");
        positive(recallNodes, "recallNodes");
        positive(itemsPerNode, "itemsPerNode");
        positive(maxParallelSamples, "maxParallelSamples");
        if (!minWindow.isPositive() || maxWindow.compareTo(minWindow) < 0) {
            throw new IllegalArgumentException("need 0 < minWindow <= maxWindow, was " + minWindow + ".." + maxWindow);
        }
        if (retryShift.isNegative() || !forgetTime.isPositive()) {
            throw new IllegalArgumentException("retryShift must be >= 0 and forgetTime > 0");
        }
        share(compressRate, "compressRate");
        share(similarTopicThreshold, "similarTopicThreshold");
        share(forgetPercentage, "forgetPercentage");
        share(forgetMergeThreshold, "forgetMergeThreshold");
        share(consolidationThreshold, "consolidationThreshold");
        share(consolidationCheckPercentage, "consolidationCheckPercentage");
        share(recallMatchThreshold, "recallMatchThreshold");
        if (banWords.stream().anyMatch(String::isBlank)) throw new IllegalArgumentException("blank ban word");
    }

    /** A builder holding the original's hard-coded values; the {@code [memory]} fields must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.distribution = distribution;
        b.sampleNum = sampleNum;
        b.sampleLength = sampleLength;
        b.compressRate = compressRate;
        b.maxMemorizedTimes = maxMemorizedTimes;
        b.minWindow = minWindow;
        b.maxWindow = maxWindow;
        b.retryShift = retryShift;
        b.snippetTries = snippetTries;
        b.banWords = banWords;
        b.similarTopicThreshold = similarTopicThreshold;
        b.similarTopicLimit = similarTopicLimit;
        b.forgetTime = forgetTime;
        b.forgetPercentage = forgetPercentage;
        b.forgetMergeThreshold = forgetMergeThreshold;
        b.consolidationThreshold = consolidationThreshold;
        b.consolidationCheckPercentage = consolidationCheckPercentage;
        b.recallMatchThreshold = recallMatchThreshold;
        b.maxDepth = maxDepth;
        b.recallNodes = recallNodes;
        b.itemsPerNode = itemsPerNode;
        b.maxParallelSamples = maxParallelSamples;
        b.zone = zone;
        return b;
    }

    private static void positive(int v, String name) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, was " + v);
    }

    private static void share(double v, String name) {
        if (!(v > 0 && v <= 1)) throw new IllegalArgumentException(name + " must be in (0, 1], was " + v);
    }

    /** Mutable builder of {@link GraphSettings}; not thread-safe. */
    public static final class Builder {
        private List<Double> distribution;
        private Integer sampleNum;
        private Integer sampleLength;
        private Double compressRate;
        private Integer maxMemorizedTimes;
        private Duration minWindow = Duration.ofSeconds(300);
        private Duration maxWindow = Duration.ofSeconds(1800);
        private Duration retryShift = Duration.ofSeconds(120);
        private int snippetTries = 3;
        private List<String> banWords;
        private double similarTopicThreshold = 0.7;
        private int similarTopicLimit = 3;
        private Duration forgetTime;
        private Double forgetPercentage;
        private double forgetMergeThreshold = 0.8;
        private Double consolidationThreshold;
        private Double consolidationCheckPercentage;
        private double recallMatchThreshold = 0.5;
        private int maxDepth = 3;
        private int recallNodes = 5;
        private int itemsPerNode = 3;
        private int maxParallelSamples = 16;
        private ZoneId zone = ZoneId.systemDefault();

        private Builder() {
        }

        public Builder distribution(List<Double> v) { distribution = v; return this; }
        public Builder sampleNum(int v) { sampleNum = v; return this; }
        public Builder sampleLength(int v) { sampleLength = v; return this; }
        public Builder compressRate(double v) { compressRate = v; return this; }
        public Builder maxMemorizedTimes(int v) { maxMemorizedTimes = v; return this; }
        public Builder window(Duration min, Duration max) { minWindow = min; maxWindow = max; return this; }
        public Builder retryShift(Duration v) { retryShift = v; return this; }
        public Builder snippetTries(int v) { snippetTries = v; return this; }
        public Builder banWords(List<String> v) { banWords = v; return this; }
        public Builder similarTopicThreshold(double v) { similarTopicThreshold = v; return this; }
        public Builder similarTopicLimit(int v) { similarTopicLimit = v; return this; }
        public Builder forgetTime(Duration v) { forgetTime = v; return this; }
        public Builder forgetPercentage(double v) { forgetPercentage = v; return this; }
        public Builder forgetMergeThreshold(double v) { forgetMergeThreshold = v; return this; }
        public Builder consolidationThreshold(double v) { consolidationThreshold = v; return this; }
        public Builder consolidationCheckPercentage(double v) { consolidationCheckPercentage = v; return this; }
        public Builder recallMatchThreshold(double v) { recallMatchThreshold = v; return this; }
        public Builder maxDepth(int v) { maxDepth = v; return this; }
        public Builder recallNodes(int v) { recallNodes = v; return this; }
        public Builder itemsPerNode(int v) { itemsPerNode = v; return this; }
        public Builder maxParallelSamples(int v) { maxParallelSamples = v; return this; }
        public Builder zone(ZoneId v) { zone = v; return this; }

        /** @throws IllegalStateException naming a field never set; IllegalArgumentException naming the first invalid value */
        public GraphSettings build() {
            return new GraphSettings(set(distribution, "distribution"), set(sampleNum, "sampleNum"),
                    set(sampleLength, "sampleLength"), set(compressRate, "compressRate"),
                    set(maxMemorizedTimes, "maxMemorizedTimes"), minWindow, maxWindow, retryShift, snippetTries,
                    set(banWords, "banWords"), similarTopicThreshold, similarTopicLimit, set(forgetTime, "forgetTime"),
                    set(forgetPercentage, "forgetPercentage"), forgetMergeThreshold,
                    set(consolidationThreshold, "consolidationThreshold"),
                    set(consolidationCheckPercentage, "consolidationCheckPercentage"), recallMatchThreshold, maxDepth,
                    recallNodes, itemsPerNode, maxParallelSamples, zone);
        }

        private static <T> T set(T value, String name) {
            if (value == null) throw new IllegalStateException(name + " not set");
            return value;
        }
    }
}
