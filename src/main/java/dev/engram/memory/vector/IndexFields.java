package dev.engram.memory.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import dev.engram.memory.Candidate;
import dev.engram.store.EmbeddingRepository.Kind;

/** The index schema: field names, documents from items, candidates from stored documents. Stateless. */
final class IndexFields {
    static final String KEY = "key";
    static final String KIND = "kind";
    static final String CHAT = "chat_id";
    /** Analyzed, not stored: what BM25 matches. */
    static final String TEXT = "text";
    /** Stored, not indexed: what recall returns. */
    static final String SHOWN = "shown";
    /** Doc values, not stored: how many tokens {@link #TEXT} indexed (BM25 statistics of live documents). */
    static final String TEXT_LENGTH = "text_length";
    static final String MESSAGE_IDS = "message_ids";
    static final String CREATED = "created_at";
    static final String VECTOR = "vector";
    /** Vectors are unit length, so the dot product is the cosine (and cheaper). */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    private IndexFields() {
    }

    /** @param textLength the number of tokens {@link #TEXT} indexes for the item ({@link #tokens}) */
    static Document document(IndexItem item, float[] vector, int textLength) {
        Document doc = new Document();
        doc.add(new StringField(KEY, item.key(), Field.Store.YES));
        doc.add(new StringField(KIND, item.kind().wire(), Field.Store.NO));
        doc.add(new StringField(CHAT, item.chatId(), Field.Store.YES));
        doc.add(new TextField(TEXT, item.searchText(), Field.Store.NO));
        doc.add(new NumericDocValuesField(TEXT_LENGTH, textLength));
        doc.add(new StoredField(SHOWN, item.text()));
        for (long id : item.messageIds()) doc.add(new StoredField(MESSAGE_IDS, id));
        doc.add(new LongField(CREATED, item.createdAt().toEpochMilli(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, vector, SIMILARITY));
        return doc;
    }

    /** How many tokens {@code analyzer} makes of {@code text} in {@link #TEXT}: the length BM25 counts for it. */
    static int tokens(Analyzer analyzer, String text) {
        int n = 0;
        try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
            ts.reset();
            while (ts.incrementToken()) n++;
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysis of a string failed", e); // cannot happen for a StringReader
        }
        return n;
    }

    static Candidate candidate(Document stored, double score) {
        List<Long> ids = new ArrayList<>();
        for (IndexableField f : stored.getFields(MESSAGE_IDS)) ids.add(f.numericValue().longValue());
        Instant created = Instant.ofEpochMilli(stored.getField(CREATED).numericValue().longValue());
        return new Candidate(stored.get(KEY), stored.get(SHOWN), score, ids, created);
    }

    static Term keyTerm(String key) {
        return new Term(KEY, key);
    }

    static Query chatFilter(String chatId) {
        return new TermQuery(new Term(CHAT, chatId));
    }

    static Query kindIs(Kind kind) {
        return new TermQuery(new Term(KIND, kind.wire()));
    }

    /** Documents of {@code kind} created strictly before {@code cutoff}. */
    static Query olderThan(Kind kind, Instant cutoff) {
        return new BooleanQuery.Builder()
                .add(kindIs(kind), Occur.FILTER)
                .add(LongField.newRangeQuery(CREATED, Long.MIN_VALUE, cutoff.toEpochMilli() - 1), Occur.FILTER)
                .build();
    }

    /** Documents of {@code kind} created strictly before {@code cutoff}, except the items {@code kept}. */
    static Query olderThan(Kind kind, Instant cutoff, Collection<Long> kept) {
        if (kept.isEmpty()) return olderThan(kind, cutoff);
        List<BytesRef> keys = new ArrayList<>(kept.size());
        for (long id : kept) keys.add(new BytesRef(IndexItem.key(kind, id)));
        return new BooleanQuery.Builder()
                .add(olderThan(kind, cutoff), Occur.FILTER)
                .add(new TermInSetQuery(KEY, keys), Occur.MUST_NOT)
                .build();
    }

    /** Converts a {@link #SIMILARITY} score, {@code (1 + dot) / 2}, back to the cosine. */
    static double cosine(float score) {
        return 2.0 * score - 1.0;
    }
}
