package dev.engram.memory.instant;

import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.engram.text.TextAnalysis;
import dev.engram.text.TimeExpressions;

/**
 * Weighted search terms of a query, normalised like {@link MemoryTerms}: keywords weigh 1, other
 * content tokens less; words that only name a time (昨天, yesterday…) are left to the time filter.
 * Pure; thread-safe.
 */
final class QueryTerms {
    static final int MAX_KEYWORDS = 8;
    private static final double KEYWORD = 1.0;
    private static final double TOKEN = 0.5;
    private static final double KEYWORD_PART = 0.6;

    private QueryTerms() {
    }

    /** Terms extracted locally from a user's message (no LLM). */
    static Map<String, Double> fromQuery(String query, ZonedDateTime now) {
        Map<String, Double> terms = new LinkedHashMap<>();
        for (String k : TextAnalysis.keywords(query, MAX_KEYWORDS)) put(terms, k, KEYWORD, now);
        for (String t : TextAnalysis.tokens(query)) put(terms, t, TOKEN, now);
        return terms;
    }

    /** Terms from keywords an LLM chose: each keyword whole, and its tokens. */
    static Map<String, Double> fromKeywords(Collection<String> keywords, ZonedDateTime now) {
        Map<String, Double> terms = new LinkedHashMap<>();
        for (String k : keywords) {
            put(terms, k, KEYWORD, now);
            for (String t : TextAnalysis.tokens(k)) put(terms, t, KEYWORD_PART, now);
        }
        return terms;
    }

    private static void put(Map<String, Double> terms, String raw, double weight, ZonedDateTime now) {
        String term = MemoryTerms.normalize(raw);
        if (term.isEmpty() || TimeExpressions.range(term, now).isPresent()) return;
        terms.merge(term, weight, Math::max);
    }
}
