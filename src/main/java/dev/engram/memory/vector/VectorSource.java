package dev.engram.memory.vector;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;

/**
 * Vector recall ({@code vector}): embeds the query (cached), searches the chat's documents for the nearest ones,
 * and keeps hits whose cosine similarity reaches the threshold; a candidate's score is that cosine. A chat of at
 * most {@link VectorSettings#exactSearchLimit()} documents is searched exactly ({@link ExactVectors}: the same
 * memories give the same answer however they were written, e.g. after an import), a larger one through the HNSW
 * graph (approximate: its answer may vary with the order of writing). Equal scores are ordered by
 * {@link RankedHits#ORDER}. Thread-safe.
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
            Query chat = IndexFields.chatFilter(chatId);
            ScoreDoc[] hits;
            if (searcher.count(chat) <= settings.exactSearchLimit()) {
                hits = ExactVectors.search(searcher, chat, vector, n, score -> kept(score));
            } else {
                hits = searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, vector, n, chat), n).scoreDocs;
                hits = Arrays.stream(hits).filter(h -> kept(h.score)).toArray(ScoreDoc[]::new);
            }
            return RankedHits.candidates(searcher, hits, n, score -> IndexFields.cosine((float) score));
        });
    }

    private boolean kept(double score) {
        return IndexFields.cosine((float) score) >= settings.similarityThreshold();
    }
}
