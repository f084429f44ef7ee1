package dev.engram.memory.instant;

import java.util.regex.Pattern;

/**
 * Whether a query asks about the past ("我以前最喜欢的数字是多少", "what did she use to eat"), so superseded
 * facts may be recalled (below the current ones). Stateless.
 */
public final class PastQuestion {
    private static final Pattern PAST = Pattern.compile(
            "以前|之前|原来|过去|曾经|从前|\\bused to\\b|\\bdid\\b[^.!?]{0,40}?\\buse to\\b|\\bprevious(?:ly)?\\b|\\bformerly\\b|\\bin the past\\b|\\bbefore\\b",
            Pattern.CASE_INSENSITIVE);

    private PastQuestion() {
    }

    /** Whether {@code query} names the past. */
    public static boolean asks(String query) {
        return query != null && PAST.matcher(query).find();
    }
}
