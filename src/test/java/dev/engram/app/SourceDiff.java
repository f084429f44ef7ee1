package dev.engram.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

import dev.engram.memory.Candidate;

/**
 * Compares what one query recalled on two instances: the fused texts and each source's answer (kind of key, text;
 * scores shown, not compared) and describes where they part, rank by rank. Pure.
 */
final class SourceDiff {
    private static final String SCORE = " @";

    private SourceDiff() {
    }

    /** A candidate as compared: its key's kind ({@code m}, {@code i}, {@code g}), text, then its score after {@value #SCORE}. */
    static String line(Candidate c) {
        int colon = c.key().indexOf(':');
        String kind = colon < 0 ? c.key() : c.key().substring(0, colon);
        return kind + " " + c.text() + SCORE + String.format(Locale.ROOT, "%.6f", c.score());
    }

    /** Empty when both instances recalled the same; else the fused and per-source differences, one rank a line. */
    static String describe(List<String> fusedBefore, List<String> fusedAfter, Map<String, List<String>> before,
                           Map<String, List<String>> after) {
        StringJoiner out = new StringJoiner("\n");
        if (!fusedBefore.equals(fusedAfter)) ranks(out, "fused", fusedBefore, fusedAfter, false);
        for (String source : new TreeSet<>(union(before.keySet(), after.keySet()))) {
            List<String> b = before.getOrDefault(source, List.of());
            List<String> a = after.getOrDefault(source, List.of());
            if (!withoutScores(b).equals(withoutScores(a))) ranks(out, source, b, a, true);
        }
        return out.toString();
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> withoutScores(List<String> lines) {
        return lines.stream().map(SourceDiff::withoutScore).toList();
    }

    private static String withoutScore(String line) {
        int at = line.lastIndexOf(SCORE);
        return at < 0 ? line : line.substring(0, at);
    }

    private static void ranks(StringJoiner out, String source, List<String> before, List<String> after, boolean scored) {
        out.add("  " + source + ":");
        for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
            String b = i < before.size() ? before.get(i) : "-";
            String a = i < after.size() ? after.get(i) : "-";
            boolean same = scored ? withoutScore(b).equals(withoutScore(a)) : Objects.equals(b, a);
            out.add("    " + (same ? "  " : "≠ ") + (i + 1) + ". " + b + (same && !scored ? "" : "  |  " + a));
        }
    }
}
