package dev.engram.memory.vector;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;

/**
 * Lexical recall ({@code lexical}): BM25 over message and memory text, filtered by chat. The query
 * is analysed like the documents (Chinese segmentation, stop words, English stemming) and any of
 * its terms may match; a candidate's score is its BM25 score. Equal scores are ordered by {@link RankedHits#ORDER},
 * not by where the documents sit in the index. Thread-safe.
 */
final class LexicalSource implements MemorySource {
    /** Terms of one query that take part; longer queries are cut (their first terms are kept). */
    private static final int MAX_TERMS = 64;

    private final NrtIndex index;
    private final IndexAnalyzer analyzer;
    private final VectorSettings settings;
    private final Clock clock;

    LexicalSource(NrtIndex index, IndexAnalyzer analyzer, VectorSettings settings, Clock clock) {
        this.index = index;
        this.analyzer = analyzer;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "lexical";
    }

    @Override
    public List<Candidate> search(String chatId, String query, int k, Instant deadline) throws IOException {
        int n = Math.min(k, settings.topK());
        if (n <= 0 || clock.instant().isAfter(deadline)) return List.of();
        List<String> terms = analyzer.terms(IndexFields.TEXT, query, MAX_TERMS);
        if (terms.isEmpty()) return List.of();
        BooleanQuery.Builder anyTerm = new BooleanQuery.Builder();
        for (String t : terms) anyTerm.add(new TermQuery(new Term(IndexFields.TEXT, t)), Occur.SHOULD);
        BooleanQuery q = new BooleanQuery.Builder()
                .add(anyTerm.build(), Occur.MUST)
                .add(IndexFields.chatFilter(chatId), Occur.FILTER)
                .build();
        return index.search(searcher -> RankedHits.candidates(searcher, RankedHits.withTies(searcher, q, n), n,
                score -> score));
    }
}
