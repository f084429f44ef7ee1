package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * What one build did. Immutable.
 *
 * @param startedAt      when it started
 * @param durationMillis how long it took (by the injected clock)
 * @param samplesPlanned sample times drawn (or history snippets found)
 * @param samplesFound   snippets found
 * @param samplesApplied snippets written to the graph (one transaction and one snapshot each)
 * @param samplesFailed  snippets whose LLM calls or write failed (their messages stay unmarked)
 * @param topics         topics written
 * @param itemsAdded     new memory items (duplicates only extend provenance)
 * @param edgesChanged   edges created or strengthened
 */
public record BuildReport(Instant startedAt, long durationMillis, int samplesPlanned, int samplesFound,
                          int samplesApplied, int samplesFailed, int topics, int itemsAdded, int edgesChanged) {
    public BuildReport {
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** One line for logs and the run table. */
    public String summary() {
        return "samples " + samplesApplied + "/" + samplesFound + "/" + samplesPlanned + " (applied/found/planned), "
                + samplesFailed + " failed, " + topics + " topics, " + itemsAdded + " new items, "
                + edgesChanged + " edge changes";
    }
}
