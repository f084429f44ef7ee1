package dev.engram.memory.vector;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LuceneMemoryIndex#open} found the index and what it did about it.
 *
 * @param outcome            reused as is, or rebuilt from the database
 * @param reason             why it was rebuilt ({@code missing}, {@code corrupt: …}, {@code model changed: …}),
 *                           or {@code ok} when reused
 * @param messagesIndexed    messages written to the index while opening (rebuild or catch-up)
 * @param memoriesIndexed    memories written to the index while opening
 * @param embeddingsReused   vectors taken from the database instead of running the model
 * @param embeddingsComputed vectors the model had to compute
 * @param took               time spent opening
 */
public record IndexOpenReport(Outcome outcome, String reason, long messagesIndexed, long memoriesIndexed,
                              long embeddingsReused, long embeddingsComputed, Duration took) {
    public IndexOpenReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(took, "took");
    }

    /** Whether the existing index was kept or rebuilt. */
    public enum Outcome { REUSED, REBUILT }
}
