package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * What one consolidation pass did. Immutable.
 *
 * @param startedAt      when it started
 * @param durationMillis how long it took (by the injected clock)
 * @param nodesChecked   nodes sampled
 * @param conceptsMerged near-duplicate concepts merged into another
 * @param itemsMerged    near-duplicate items merged into another
 */
public record ConsolidateReport(Instant startedAt, long durationMillis, int nodesChecked, int conceptsMerged,
                                int itemsMerged) {
    public ConsolidateReport {
        Objects.requireNonNull(startedAt, "startedAt");
    }

    ConsolidateReport withDuration(long millis) {
        return new ConsolidateReport(startedAt, millis, nodesChecked, conceptsMerged, itemsMerged);
    }

    /** One line for logs and the run table. */
    public String summary() {
        return "checked " + nodesChecked + " nodes; concepts merged " + conceptsMerged + ", items merged " + itemsMerged;
    }
}
