package dev.engram.memory.vector;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns text into an L2-normalised vector. Implementations are thread-safe and may block while the
 * model runs (milliseconds per text), so call them from task-engine or virtual threads, never from
 * the CPU pool the implementation itself runs on.
 */
public interface Embedder {
    /**
     * The vector of one text, of length {@link #dimensions()}, L2-normalised: the reply path's call (a recall
     * query), which an implementation may run ahead of queued {@link #embedAll} work.
     */
    float[] embed(String text);

    /**
     * {@link #embed} without waiting: the future completes with the vector, or exceptionally with what
     * {@link #embed} would have thrown. The default runs {@link #embed} on a virtual thread of its own; an
     * implementation with its own pool completes the future from there, so no thread waits for the model.
     */
    default CompletableFuture<float[]> embedAsync(String text) {
        return CompletableFuture.supplyAsync(() -> embed(text), job -> Thread.ofVirtual().name("embed-query").start(job));
    }

    /** The vectors of several texts, in order (the store path); one call amortises the model's fixed costs. */
    List<float[]> embedAll(List<String> texts);

    /** Length of every vector this embedder returns. */
    int dimensions();

    /** Identity of the model (and its quantisation); vectors of different model ids are not comparable. */
    String modelId();
}
