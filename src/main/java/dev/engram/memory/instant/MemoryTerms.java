package dev.engram.memory.instant;

import java.text.Normalizer;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import dev.engram.text.TextAnalysis;

/**
 * The search terms of a memory (stored in {@code memory_terms}) and of a query, normalised the
 * same way on both sides: each keyword as a whole and the {@link TextAnalysis#tokens} of keywords and
 * text, NFKC and lower case. Pure; thread-safe.
 */
public final class MemoryTerms {
    /** Longest term stored; longer "keywords" are sentences, which tokens cover. */
    static final int MAX_TERM_LENGTH = 32;

    private MemoryTerms() {
    }

    /** Terms of a memory: its keywords (whole and tokenised) and its text's tokens. */
    public static Set<String> of(String text, Collection<String> keywords) {
        Set<String> terms = new LinkedHashSet<>();
        for (String k : keywords) {
            add(terms, k);
            TextAnalysis.tokens(k).forEach(t -> add(terms, t));
        }
        TextAnalysis.tokens(text).forEach(t -> add(terms, t));
        return terms;
    }

    /** The normalised form of one term, or empty when nothing is left. */
    static String normalize(String term) {
        String n = Normalizer.normalize(term, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
        return n.length() > MAX_TERM_LENGTH ? "" : n;
    }

    private static void add(Set<String> terms, String raw) {
        String n = normalize(raw);
        if (!n.isEmpty()) terms.add(n);
    }
}
