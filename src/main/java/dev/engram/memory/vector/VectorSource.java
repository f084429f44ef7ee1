package dev.engram.memory.vector;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.index.StoredFields;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;

/**
 * Vector recall ({@code vector}): embeds the query (cached), runs a kNN search filtered by chat, and
 * keeps hits whose cosine similarity reaches the threshold; a candidate's score is that cosine.
 * Lucene searches a filter that matches few documents exactly and a large one through the HNSW
 * graph. Thread-safe.
 */
final class VectorSource implements MemorySource {
    private final NrtIndex index;
    private final QueryEmbeddingCache queries;
    private final VectorSettings settings;
    private final Clock clock;

    VectorSource(NrtIndex index, QueryEmbeddingCache queries, VectorSettings settings, Clock clock) {
        this.index = index;
        this.queries = queries;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "vector";
    }

    /** Starts the query's embedding (it does not depend on the chat), so that the search finds it running or done. */
    @Override
    public void prepare(String query) {
        if (!query.isBlank()) queries.prefetch(query);
    }

    @Override
    public List<Candidate> search(String chatId, String query, int k, Instant deadline) throws IOException {
        int n = Math.min(k, settings.topK());
        if (n <= 0 || query.isBlank() || clock.instant().isAfter(deadline)) return List.of();
        float[] vector = queries.embed(query);
        if (clock.instant().isAfter(deadline)) return List.of();
        return index.search(searcher -> {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, vector, n,
                    IndexFields.chatFilter(chatId)), n);
            StoredFields stored = searcher.storedFields();
            List<Candidate> out = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                double cosine = IndexFields.cosine(hit.score);
                if (cosine >= settings.similarityThreshold()) out.add(IndexFields.candidate(stored.document(hit.doc), cosine));
            }
            return out;
        });
    }
}
