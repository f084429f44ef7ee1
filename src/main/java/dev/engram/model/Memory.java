package dev.engram.model;

import java.util.List;
import java.util.Objects;

/**
 * One recalled memory as the reply path and the API see it.
 *
 * @param text       what is remembered, ready to go into a prompt
 * @param source     which memory produced it ({@code lexical}, {@code vector}, {@code instant}, {@code graph}, …)
 * @param score      relevance after fusion, higher is better; comparable only within one recall
 * @param messageIds ids of the stored messages it came from (provenance)
 */
public record Memory(String text, String source, double score, List<Long> messageIds) {
    public Memory {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        messageIds = List.copyOf(messageIds);
    }
}
