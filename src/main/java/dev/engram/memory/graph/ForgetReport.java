package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * What one forget pass did. Immutable.
 *
 * @param startedAt      when it started
 * @param durationMillis how long it took (by the injected clock)
 * @param nodesChecked   nodes sampled
 * @param edgesChecked   edges sampled
 * @param edgesWeakened  stale edges that lost one strength
 * @param edgesRemoved   stale edges that reached 0 and were removed
 * @param itemsForgotten items dropped (including the last item of a removed node)
 * @param nodesRemoved   nodes removed (empty, or stale with one item)
 * @param itemsMerged    near-duplicate items merged into another
 */
public record ForgetReport(Instant startedAt, long durationMillis, int nodesChecked, int edgesChecked,
                           int edgesWeakened, int edgesRemoved, int itemsForgotten, int nodesRemoved,
                           int itemsMerged) {
    public ForgetReport {
        Objects.requireNonNull(startedAt, "startedAt");
    }

    ForgetReport withDuration(long millis) {
        return new ForgetReport(startedAt, millis, nodesChecked, edgesChecked, edgesWeakened, edgesRemoved,
                itemsForgotten, nodesRemoved, itemsMerged);
    }

    /** One line for logs and the run table. */
    public String summary() {
        return "checked " + nodesChecked + " nodes / " + edgesChecked + " edges; edges weakened " + edgesWeakened
                + ", removed " + edgesRemoved + "; items forgotten " + itemsForgotten + ", merged " + itemsMerged
                + "; nodes removed " + nodesRemoved;
    }
}
