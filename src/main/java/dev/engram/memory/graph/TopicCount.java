package dev.engram.memory.graph;

import java.util.HashMap;
import java.util.Map;

/**
 * How many topics to ask for (§2.3 step 3): the mean of a length term (rendered lines × compress rate)
 * and an information term (character entropy H in bits: clamp(⌊(H − 3)·2⌋, 1, 5)), truncated, at least
 * 1 (the original could ask for 0) and at most {@value #MAX_TOPICS} (each topic costs one summary call).
 * Pure; thread-safe.
 */
final class TopicCount {
    static final int MAX_TOPICS = 10;

    private TopicCount() {
    }

    static int topicNum(String text, double compressRate) {
        long lines = text.chars().filter(c -> c == '\n').count();
        double byLength = lines * compressRate;
        int byInfo = Math.clamp((int) ((entropy(text) - 3) * 2), 1, 5);
        return Math.clamp((int) ((byLength + byInfo) / 2), 1, MAX_TOPICS);
    }

    /** Shannon entropy, in bits, of the text's code-point distribution (0 for an empty text). */
    static double entropy(String text) {
        Map<Integer, Integer> counts = new HashMap<>();
        text.codePoints().forEach(cp -> counts.merge(cp, 1, Integer::sum));
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / total;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }
}
