package dev.engram.memory.vector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

import dev.engram.memory.Candidate;

/**
 * The best {@code n} hits of a search in an order that depends on the documents alone, never on where they sit in
 * the index: score descending, then newer first, then the key's kind and its id ascending ({@link #ORDER}). Lucene
 * breaks equal scores by document number, which follows the order of writing and merging, so the same memory
 * restored elsewhere (an import, a rebuild) would rank differently among its equals; here every hit tied with the
 * {@code n}-th takes part and the order above decides. Stateless.
 */
final class RankedHits {
    /** Score descending, newer first, then kind and numeric id of the key ({@code m:7} before {@code m:10}). */
    static final Comparator<Candidate> ORDER = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparing(Candidate::createdAt, Comparator.reverseOrder())
            .thenComparing(Candidate::key, Candidate::compareKeys);

    private RankedHits() {
    }

    /**
     * The top {@code n} hits of {@code query} together with every further hit that ties with the {@code n}-th
     * (asks for more while the one after the {@code n}-th still ties), best first.
     */
    static ScoreDoc[] withTies(IndexSearcher searcher, Query query, int n) throws IOException {
        int want = n + 1;
        while (true) {
            ScoreDoc[] hits = searcher.search(query, want).scoreDocs;
            if (hits.length < want || hits[want - 1].score < hits[n - 1].score || want > Integer.MAX_VALUE / 2) {
                return cut(hits, n);
            }
            want *= 2;
        }
    }

    /** The first {@code n} of {@code hits} (best first) and those after them that tie with the {@code n}-th. */
    static ScoreDoc[] cut(ScoreDoc[] hits, int n) {
        if (hits.length <= n) return hits;
        int end = n;
        while (end < hits.length && hits[end].score == hits[n - 1].score) end++;
        return Arrays.copyOf(hits, end);
    }

    /** The candidates of {@code hits} (scored by {@code score} of the hit's score) in {@link #ORDER}, at most {@code n}. */
    static List<Candidate> candidates(IndexSearcher searcher, ScoreDoc[] hits, int n, DoubleUnaryOperator score)
            throws IOException {
        StoredFields stored = searcher.storedFields();
        List<Candidate> out = new ArrayList<>(hits.length);
        for (ScoreDoc hit : hits) out.add(IndexFields.candidate(stored.document(hit.doc), score.applyAsDouble(hit.score)));
        out.sort(ORDER);
        return out.size() > n ? List.copyOf(out.subList(0, n)) : out;
    }

}
