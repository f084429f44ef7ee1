package dev.engram.memory.vector;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Query embeddings by query text, bounded (least recently/frequently used entries leave first).
 * Concurrent requests for the same text share one model call. Thread-safe. Cache maintenance runs
 * on the calling thread, so the cache owns no threads.
 */
final class QueryEmbeddingCache {
    private final Embedder embedder;
    private final Cache<String, float[]> cache;

    QueryEmbeddingCache(Embedder embedder, int maximumSize) {
        this.embedder = embedder;
        this.cache = maximumSize == 0 ? null
                : Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    /** The query's vector; callers must not modify it (it is shared). */
    float[] embed(String query) {
        return cache == null ? embedder.embed(query) : cache.get(query, embedder::embed);
    }
}
