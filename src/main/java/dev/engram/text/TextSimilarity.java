package dev.engram.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Language-agnostic near-duplicate detection for short memory texts, shared by the instant-memory
 * writer (do not store a memory twice) and recall fusion (do not inject it twice).
 *
 * <p>Texts are compared as sets of shingles: Han/kana/hangul characters as overlapping character
 * bigrams (Chinese needs no segmenter for this), other scripts as lower-cased words. Normalisation is
 * NFKC, lower case, punctuation and whitespace removed. Texts stating different {@linkplain #numbers numbers} are
 * never near-duplicates for the callers. Pure functions; thread-safe.
 */
public final class TextSimilarity {
    private TextSimilarity() {
    }

    /** NFKC, lower-cased, with everything but letters and digits removed. */
    public static String normalize(String text) {
        if (text == null) return "";
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(n.length());
        n.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** SHA-256 (hex) of the {@linkplain #normalize normalised} text: equal for texts differing only in case, spacing or punctuation. */
    public static String contentHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalize(text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** The shingle set of a text (see the class comment). */
    public static Set<String> shingles(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        int previousCjk = -1;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                flushWord(word, out);
                if (previousCjk >= 0) out.add(new StringBuilder().appendCodePoint(previousCjk).appendCodePoint(cp).toString());
                else out.add(Character.toString(cp)); // a lone CJK char still counts
                previousCjk = cp;
            } else {
                previousCjk = -1;
                if (Character.isLetterOrDigit(cp)) word.appendCodePoint(cp);
                else flushWord(word, out);
            }
        }
        flushWord(word, out);
        return out;
    }

    /**
     * The numbers a text states: its runs of digits after NFKC (so full-width digits count), sorted. Two texts that
     * state different numbers ("编号 817" and "编号 537", "turned 30" and "turned 31") are different facts however
     * similar the rest of their words: near-duplicate checks compare these too.
     */
    public static List<String> numbers(String text) {
        if (text == null) return List.of();
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < n.length()) {
            if (!isAsciiDigit(n.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n.length() && isAsciiDigit(n.charAt(i))) i++;
            out.add(n.substring(start, i));
        }
        out.sort(null);
        return out;
    }

    /** Whether the two texts state the same {@linkplain #numbers numbers}. */
    public static boolean sameNumbers(String a, String b) {
        return numbers(a).equals(numbers(b));
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Jaccard similarity of the two texts' shingle sets, in [0, 1]; 1 for two texts with no shingles only if both are equal when normalised. */
    public static double jaccard(String a, String b) {
        return jaccard(shingles(a), shingles(b));
    }

    /** Jaccard similarity of two shingle sets. */
    public static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) return a.isEmpty() && b.isEmpty() ? 1.0 : 0.0;
        int common = intersection(a, b);
        return (double) common / (a.size() + b.size() - common);
    }

    /** Share of {@code inner}'s shingles that also occur in {@code outer}, in [0, 1] (0 when {@code inner} is empty). */
    public static double containment(Set<String> inner, Set<String> outer) {
        if (inner.isEmpty()) return 0.0;
        return (double) intersection(inner, outer) / inner.size();
    }

    private static int intersection(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        int common = 0;
        for (String s : small) if (large.contains(s)) common++;
        return common;
    }

    private static void flushWord(StringBuilder word, Set<String> out) {
        if (!word.isEmpty()) out.add(word.toString());
        word.setLength(0);
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }
}
