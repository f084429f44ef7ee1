package dev.engram.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The system under evaluation: a memory that ingests a conversation and recalls for questions. The
 * evaluation calls it from one thread; implementations may work asynchronously in between.
 */
public interface EvalTarget {
    /**
     * Ingests one message through the real store path.
     *
     * @param externalId the message's own id (the LoCoMo {@code dia_id}), reported back in {@link RecalledUnit}
     */
    void ingest(String chatId, String speaker, String text, Instant at, String externalId) throws Exception;

    /** Waits until everything ingested so far has been memorised, or {@code max} passed. */
    void awaitIdle(Duration max) throws Exception;

    /**
     * Recalls for a question.
     *
     * @param sources the sources to use ({@code lexical}, {@code vector}, …); empty = all, fused
     * @param k       most units to return
     * @return the units, best first
     */
    List<RecalledUnit> recall(String chatId, String query, Set<String> sources, int k) throws Exception;

    /**
     * Asks every source once for a question and keeps the answers, so they can be fused with many weights
     * ({@code engram eval --fit}).
     *
     * @param k most units one fusion returns
     */
    Fusable answers(String chatId, String query, int k) throws Exception;

    /** The sources' answers to one question, fusable again and again. Thread-confined like the target. */
    interface Fusable {
        /** The sources that answered. */
        Set<String> sources();

        /** The units, best first, fused with these weights (a source not named weighs 0). */
        List<RecalledUnit> fuse(Map<String, Double> weights);

        /**
         * Like {@link #fuse(Map)}, with these sources expanding from the other sources' top hits instead of
         * voting (the target's configured ones are used by {@link #fuse(Map)}).
         */
        List<RecalledUnit> fuse(Map<String, Double> weights, Set<String> expanding);
    }

    /** Time from ingest until a message is recallable, if the target measured it. */
    default Optional<Visibility> visibility() {
        return Optional.empty();
    }

    /** Time-to-visibility percentiles in milliseconds. */
    record Visibility(double p50Millis, double p95Millis) {
    }
}
