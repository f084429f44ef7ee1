package dev.engram.memory.vector;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.SmallFloat;

/**
 * A searcher whose BM25 statistics count live documents only. Lucene's own count deleted documents until a merge
 * rewrites their segment, so an edited or superseded memory would shift every score until then, and the same
 * memories restored elsewhere (an import, a rebuild: no deletions) would score a little differently and could rank
 * differently. Here a term's document frequency and the field's document count and total length are those of the
 * live documents: postings are walked only in segments with deletions (for the query's terms), and a deleted
 * document's length comes from its {@link IndexFields#TEXT_LENGTH} (exact; the norm's rounded length for a document
 * written before that field existed). The field statistics are computed once per searcher (one point-in-time view).
 * Thread-safe.
 */
final class LiveStatsSearcher extends IndexSearcher {
    /** Creates these searchers for a {@link org.apache.lucene.search.SearcherManager}. */
    static final SearcherFactory FACTORY = new SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
            return new LiveStatsSearcher(reader);
        }
    };

    private final Map<String, CollectionStatistics> fields = new ConcurrentHashMap<>();

    LiveStatsSearcher(IndexReader reader) {
        super(reader);
    }

    @Override
    public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) throws IOException {
        if (!getIndexReader().hasDeletions()) return super.termStatistics(term, docFreq, totalTermFreq);
        long df = 0;
        long ttf = 0;
        for (LeafReaderContext leaf : getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(term.field());
            if (terms == null) continue;
            TermsEnum te = terms.iterator();
            if (!te.seekExact(term.bytes())) continue;
            Bits live = leaf.reader().getLiveDocs();
            if (live == null) {
                df += te.docFreq();
                ttf += te.totalTermFreq();
                continue;
            }
            PostingsEnum postings = te.postings(null, PostingsEnum.FREQS);
            for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                if (!live.get(d)) continue;
                df++;
                ttf += postings.freq();
            }
        }
        return df == 0 ? null : new TermStatistics(term.bytes(), df, Math.max(ttf, df));
    }

    @Override
    public CollectionStatistics collectionStatistics(String field) throws IOException {
        if (!getIndexReader().hasDeletions()) return super.collectionStatistics(field);
        CollectionStatistics known = fields.get(field);
        if (known != null) return known;
        long docCount = 0;
        long sumTotalTermFreq = 0;
        long sumDocFreq = 0;
        for (LeafReaderContext leaf : getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(field);
            if (terms == null) continue;
            long[] deleted = deleted(leaf.reader(), field);
            docCount += terms.getDocCount() - deleted[0];
            sumTotalTermFreq += terms.getSumTotalTermFreq() - deleted[1];
            sumDocFreq += terms.getSumDocFreq(); // not used by BM25; kept within its bounds below
        }
        CollectionStatistics stats = docCount <= 0 ? null : new CollectionStatistics(field, getIndexReader().maxDoc(),
                docCount, Math.max(sumTotalTermFreq, docCount), Math.clamp(sumDocFreq, docCount, Math.max(sumTotalTermFreq, docCount)));
        if (stats != null) fields.putIfAbsent(field, stats);
        return stats;
    }

    /** The deleted documents of one segment that have the field: how many, and their total length. */
    private static long[] deleted(LeafReader reader, String field) throws IOException {
        Bits live = reader.getLiveDocs();
        long[] out = new long[2];
        if (live == null) return out;
        NumericDocValues lengths = reader.getNumericDocValues(IndexFields.TEXT_LENGTH);
        NumericDocValues norms = reader.getNormValues(field);
        for (int d = 0; d < reader.maxDoc(); d++) {
            if (live.get(d)) continue;
            long length;
            if (lengths != null && lengths.advanceExact(d)) length = lengths.longValue();
            else if (norms != null && norms.advanceExact(d)) length = SmallFloat.byte4ToInt((byte) norms.longValue());
            else length = 0;
            if (length > 0) {
                out[0]++;
                out[1] += length;
            }
        }
        return out;
    }
}
