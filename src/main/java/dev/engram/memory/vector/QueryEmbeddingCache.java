package dev.engram.memory.vector;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Query embeddings by query text, bounded (least recently/frequently used entries leave first). A text's
 * embedding can be started ahead of its search ({@link #prefetch}); every request for the same text, the
 * ones made while it is still running included, shares one model call, and a failed call is not kept.
 * Thread-safe. Cache maintenance runs on the calling thread, so the cache owns no threads.
 */
final class QueryEmbeddingCache {
    private final Embedder embedder;
    private final AsyncCache<String, float[]> cache;

    QueryEmbeddingCache(Embedder embedder, int maximumSize) {
        this.embedder = embedder;
        this.cache = maximumSize == 0 ? null
                : Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).buildAsync();
    }

    /** The query's vector, waiting for it if needed; callers must not modify it (it is shared). */
    float[] embed(String query) {
        if (cache == null) return embedder.embed(query);
        try {
            return cache.get(query, (text, executor) -> embedder.embedAsync(text)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Starts the query's embedding unless it is cached or running already; returns at once. A no-op without a cache. */
    void prefetch(String query) {
        if (cache != null) cache.get(query, (text, executor) -> embedder.embedAsync(text));
    }

    /**
     * The vector of {@code text} if it was asked for as a query, waiting for it while it is running; empty
     * when it is not in the cache or its embedding failed. Callers must not modify it.
     */
    Optional<float[]> ifPresent(String text) {
        CompletableFuture<float[]> vector = cache == null ? null : cache.getIfPresent(text);
        if (vector == null) return Optional.empty();
        try {
            return Optional.of(vector.join());
        } catch (CompletionException | CancellationException e) {
            return Optional.empty();
        }
    }
}
