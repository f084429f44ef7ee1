package dev.engram.task;

import java.util.Set;

/**
 * What a retrieval answers when it does not run to completion, and how one shared answer is cut for each
 * caller. The engine never looks inside {@code R}; the layer that owns the result type supplies this.
 * Implementations are immutable and thread-safe.
 *
 * @param <R> the retrieval's result type
 */
public interface RetrievePolicy<R> {
    /** The answer when the retrieval is not attempted (lane full, engine stopping, cancelled). */
    R skipped();

    /** The answer when the deadline passed or the attempt failed. */
    R timedOut();

    /** The answer when the handler returned nothing. */
    R empty();

    /** The shared answer as one caller sees it ({@code exclude}: ids of that caller's own messages). */
    R forCaller(R result, Set<Long> exclude);
}
