package dev.engram.memory.vector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoublePredicate;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * Exact nearest neighbours: every live document of a filter scored against the query vector (Lucene's flat vector
 * scorer, the same score an HNSW hit carries). Unlike a graph search its answer does not depend on the order the
 * documents were written in or on the segments they sit in; its cost is one dot product per document of the
 * filter. Stateless.
 */
final class ExactVectors {
    private static final Comparator<ScoreDoc> BEST_FIRST = Comparator.comparingDouble((ScoreDoc d) -> d.score).reversed();

    private ExactVectors() {
    }

    /**
     * The {@code n} best documents of {@code filter} whose score {@code keep} accepts, best first, with every further
     * one that ties with the {@code n}-th (see {@link RankedHits}).
     */
    static ScoreDoc[] search(IndexSearcher searcher, Query filter, float[] query, int n, DoublePredicate keep)
            throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
        List<ScoreDoc> hits = new ArrayList<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
            Scorer docs = values == null || values.size() == 0 ? null : weight.scorer(leaf);
            if (docs == null) continue;
            Bits live = leaf.reader().getLiveDocs();
            VectorScorer scorer = values.scorer(query);
            DocIdSetIterator withVector = scorer.iterator();
            DocIdSetIterator it = docs.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live != null && !live.get(doc)) continue;
                int at = withVector.docID() < doc ? withVector.advance(doc) : withVector.docID();
                if (at == DocIdSetIterator.NO_MORE_DOCS) break;
                if (at != doc) continue;
                float score = scorer.score();
                if (keep.test(score)) hits.add(new ScoreDoc(leaf.docBase + doc, score));
            }
        }
        hits.sort(BEST_FIRST);
        return RankedHits.cut(hits.toArray(ScoreDoc[]::new), n);
    }
}
