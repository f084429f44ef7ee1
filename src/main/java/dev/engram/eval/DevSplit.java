package dev.engram.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two halves of an evaluation file for fitting on one and reporting the other ({@code engram eval --fit}).
 * Whole conversations go to one half (a chat's questions are about that chat, so splitting them would let
 * the fit see the held-out chat's data), balanced per language: the conversations of each language, in
 * sample-id order, go alternately to half A and half B. The shipped dev set splits into A = {@code dev-en-1},
 * {@code dev-zh-1} and B = {@code dev-en-2}, {@code dev-zh-2}. Deterministic; immutable.
 *
 * @param a the half the weights are fitted on
 * @param b the held-out half
 */
public record DevSplit(List<LocomoSample> a, List<LocomoSample> b) {
    /** A conversation whose turns are at least this share CJK characters (among letters) is Chinese. */
    static final double CJK_SHARE = 0.3;

    public DevSplit {
        a = List.copyOf(a);
        b = List.copyOf(b);
    }

    /**
     * Splits {@code samples} as the type's description says.
     *
     * @throws IllegalArgumentException with fewer than two conversations (one half would be empty)
     */
    public static DevSplit of(List<LocomoSample> samples) {
        Map<String, List<LocomoSample>> byLanguage = new TreeMap<>();
        for (LocomoSample s : samples) byLanguage.computeIfAbsent(language(s), l -> new ArrayList<>()).add(s);
        List<LocomoSample> a = new ArrayList<>();
        List<LocomoSample> b = new ArrayList<>();
        int next = 0; // a language with an odd count leaves its last one to the half whose turn it is
        for (List<LocomoSample> list : byLanguage.values()) {
            list.sort(Comparator.comparing(LocomoSample::sampleId));
            for (LocomoSample s : list) (next++ % 2 == 0 ? a : b).add(s);
        }
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("fitting needs at least two conversations, got " + samples.size());
        }
        return new DevSplit(a, b);
    }

    /** {@code zh} when at least {@value #CJK_SHARE} of the letters of the turns are CJK, else {@code en}. */
    static String language(LocomoSample s) {
        long letters = 0;
        long cjk = 0;
        for (LocomoSample.Session session : s.sessions()) {
            for (LocomoSample.Turn t : session.turns()) {
                for (int i = 0; i < t.text().length(); ) {
                    int c = t.text().codePointAt(i);
                    i += Character.charCount(c);
                    if (!Character.isLetter(c)) continue;
                    letters++;
                    if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) cjk++;
                }
            }
        }
        return letters > 0 && (double) cjk / letters >= CJK_SHARE ? "zh" : "en";
    }

    /** The sample ids of a half, comma-separated. */
    static String ids(List<LocomoSample> half) {
        return String.join(", ", half.stream().map(LocomoSample::sampleId).toList());
    }
}
