package dev.engram.memory.graph;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import dev.engram.text.TextAnalysis;
import dev.engram.text.TextSimilarity;

/**
 * Identity and similarity of concepts and memory texts. Pure functions; thread-safe.
 * <ul>
 *   <li>{@link #key}: a concept's identity (NFKC, lower case, single spaces), so {@code Ｈangzhou} and
 *       {@code hangzhou} are one node.</li>
 *   <li>{@link #tokens}: the distinct content tokens of {@link TextAnalysis#tokens} (Chinese segmented,
 *       English lower-cased and de-pluralised); a text with no content token is its own normalised
 *       form, so every non-blank concept has at least one token.</li>
 *   <li>{@link #similarity}: binary bag-of-words cosine (the original's jieba similarity) or, when
 *       higher, the cosine of Han character grams; used for similar-topic links, for matching query
 *       keywords to concepts and for ranking items against the query.</li>
 *   <li>{@link #duplicateSimilarity}: a stricter measure for merging concepts (consolidation).</li>
 * </ul>
 */
final class Concepts {
    private Concepts() {
    }

    /** The identity of a concept: NFKC, lower case, whitespace collapsed to one space, trimmed. */
    static String key(String concept) {
        String n = Normalizer.normalize(concept, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return n.strip().replaceAll("\\s+", " ");
    }

    /**
     * What concept and item similarity is computed on: the content tokens, and the Han characters and
     * character bigrams of every run of Han characters — so {@code 吉他} still meets {@code 弹吉他} when the
     * segmenter glued a verb to it. Immutable.
     */
    record Features(Set<String> tokens, Set<String> grams) {
        Features {
            tokens = Set.copyOf(tokens);
            grams = Set.copyOf(grams);
        }

        /** Keys under which a concept is found in the candidate index: its tokens and grams. */
        Set<String> indexKeys() {
            Set<String> keys = new LinkedHashSet<>(tokens);
            keys.addAll(grams);
            return keys;
        }

        /**
         * Keys to look candidates up by: the tokens, and the bigrams (or, for a single Han character, that
         * character). Bigrams are selective; a lone common character would name thousands of concepts.
         */
        Set<String> lookupKeys() {
            Set<String> keys = new LinkedHashSet<>(tokens);
            Set<String> bigrams = new LinkedHashSet<>();
            for (String g : grams) if (g.codePointCount(0, g.length()) == 2) bigrams.add(g);
            keys.addAll(bigrams.isEmpty() ? grams : bigrams);
            return keys;
        }
    }

    static Features features(String text) {
        return new Features(tokens(text), grams(text));
    }

    /** Han characters and adjacent pairs of Han characters (within a run), NFKC-normalised. */
    static Set<String> grams(String text) {
        Set<String> out = new LinkedHashSet<>();
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
        int previous = -1;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                out.add(Character.toString(cp));
                if (previous >= 0) out.add(Character.toString(previous) + Character.toString(cp));
                previous = cp;
            } else {
                previous = -1;
            }
        }
        return out;
    }

    /**
     * How related two texts are: the larger of the token cosine and the Han character-gram cosine, in
     * [0, 1]. {@code 杭州} vs {@code 杭州旅游}: 0.71; {@code 吉他} vs {@code 弹吉他}: 0.77; {@code 上海} vs
     * {@code 海鲜}: 0.33.
     */
    static double similarity(Features a, Features b) {
        return Math.max(cosine(a.tokens(), b.tokens()), cosine(a.grams(), b.grams()));
    }

    /** Distinct content tokens, never empty for a text with a letter or digit. */
    static Set<String> tokens(String text) {
        Set<String> out = new LinkedHashSet<>(TextAnalysis.tokens(text));
        if (out.isEmpty()) {
            String n = TextSimilarity.normalize(text);
            if (!n.isEmpty()) out.add(n);
        }
        return Set.copyOf(out);
    }

    /** |a ∩ b| / sqrt(|a|·|b|), 0 when either is empty. */
    static double cosine(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) return 0.0;
        return common(a, b) / Math.sqrt((double) a.size() * b.size());
    }

    /** Jaccard similarity of two token sets, 0 when either is empty. */
    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) return 0.0;
        int common = common(a, b);
        return (double) common / (a.size() + b.size() - common);
    }

    /**
     * How likely two concepts name the same thing: the larger of the token Jaccard and the shingle
     * Jaccard ({@link TextSimilarity}). {@code 杭州旅游} vs {@code 杭州} scores 0.5 (related, not the same);
     * {@code running shoes} vs {@code Running shoe} scores 1.
     */
    static double duplicateSimilarity(String a, Set<String> aTokens, String b, Set<String> bTokens) {
        return Math.max(jaccard(aTokens, bTokens), TextSimilarity.jaccard(a, b));
    }

    private static int common(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        int n = 0;
        for (String s : small) if (large.contains(s)) n++;
        return n;
    }
}
