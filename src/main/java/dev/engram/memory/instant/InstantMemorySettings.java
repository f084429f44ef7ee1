package dev.engram.memory.instant;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Settings of instant memory (writing and keyword recall). Immutable; validated on construction. No
 * configuration key sets these: the defaults below are instant memory's own constants.
 *
 * @param windowMessages      messages the LLM judges per store: the new one plus up to {@code windowMessages - 1}
 *                            before it (default 5)
 * @param windowSpan          earlier messages older than this (relative to the new one) are left out of the window,
 *                            so a new session is not judged together with last week's (default 1 h)
 * @param duplicateSimilarity a new memory whose shingle Jaccard similarity with (or containment in) a recent memory of
 *                            the chat reaches this is not stored (default 0.9)
 * @param duplicateLookback   how many of the chat's newest memories the near-duplicate check compares with (default 50)
 * @param zone                the zone that defines "today", "yesterday" and calendar months (default: the system zone)
 */
public record InstantMemorySettings(int windowMessages, Duration windowSpan, double duplicateSimilarity,
                                    int duplicateLookback, ZoneId zone) {
    public InstantMemorySettings {
        Objects.requireNonNull(windowSpan, "windowSpan");
        Objects.requireNonNull(zone, "zone");
        if (windowMessages < 1 || windowMessages > 50) {
            throw new IllegalArgumentException("windowMessages must be in [1, 50], was " + windowMessages);
        }
        if (windowSpan.isNegative() || windowSpan.isZero()) throw new IllegalArgumentException("windowSpan must be > 0");
        if (!(duplicateSimilarity > 0 && duplicateSimilarity <= 1)) {
            throw new IllegalArgumentException("duplicateSimilarity must be in (0, 1], was " + duplicateSimilarity);
        }
        if (duplicateLookback < 0) throw new IllegalArgumentException("duplicateLookback must be >= 0");
    }

    /** The constants documented on each parameter, in the given zone. */
    public static InstantMemorySettings defaults(ZoneId zone) {
        return new InstantMemorySettings(5, Duration.ofHours(1), 0.9, 50, zone);
    }
}
