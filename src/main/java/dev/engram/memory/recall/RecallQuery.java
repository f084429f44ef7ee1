package dev.engram.memory.recall;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One recall request with every knob {@link FusedRecall} offers (the plain
 * {@link FusedRecall#recall(String, String, Set, Instant)} uses the defaults). Immutable.
 *
 * @param chatId          chat whose memory is searched
 * @param query           the text to recall for
 * @param excludeMessages ids of the current turn's messages, never recalled
 * @param deadline        when the caller stops waiting
 * @param sources         names of the sources to ask ({@code lexical}, {@code vector}, {@code instant}, {@code llm}…);
 *                        empty = all configured sources
 * @param topK            most memories returned; {@code <= 0} = the configured {@code topK}
 * @param tokenBudget     most estimated tokens returned; {@code <= 0} = the configured budget,
 *                        {@link Integer#MAX_VALUE} = unlimited (evaluation)
 */
public record RecallQuery(String chatId, String query, Set<Long> excludeMessages, Instant deadline, Set<String> sources,
                          int topK, int tokenBudget) {
    public RecallQuery {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(deadline, "deadline");
        excludeMessages = Set.copyOf(excludeMessages);
        sources = Set.copyOf(sources);
    }

    /** A request with all sources and the configured limits. */
    public static RecallQuery of(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
        return new RecallQuery(chatId, query, excludeMessages, deadline, Set.of(), 0, 0);
    }

    /** Whether the source called {@code name} takes part. */
    public boolean asks(String name) {
        return sources.isEmpty() || sources.contains(name);
    }
}
