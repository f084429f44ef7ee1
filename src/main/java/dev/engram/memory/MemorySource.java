package dev.engram.memory;

import java.time.Instant;
import java.util.List;

/**
 * A local recall source (lexical, vector, instant-memory keywords, graph). Implementations are
 * thread-safe, never call an LLM, only return memories of {@code chatId}, and should give up
 * promptly once {@code deadline} has passed (the fusion drops late answers anyway).
 */
public interface MemorySource {
    /** Stable lower-case name, reported as a memory's {@code source} ({@code lexical}, {@code vector}, …). */
    String name();

    /**
     * Starts what a search for {@code query} will need and does not depend on the chat (a query embedding),
     * so that a {@link #search} soon after finds it running or done. Returns at once and never throws; the
     * default does nothing.
     */
    default void prepare(String query) {
    }

    /** Up to {@code k} candidates, best first. */
    List<Candidate> search(String chatId, String query, int k, Instant deadline) throws Exception;
}
