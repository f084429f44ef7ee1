package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * The graph's part of {@code GET /api/status}. Immutable; serialisable as is (nullable fields instead of
 * {@code Optional}).
 *
 * @param nodes            concepts
 * @param edges            undirected links
 * @param items            memory items
 * @param version          the snapshot version readers see
 * @param lastBuild        the last finished build, or {@code null}
 * @param lastForget       the last finished forget pass, or {@code null}
 * @param lastConsolidate  the last finished consolidation, or {@code null}
 * @param currentBuild     the build in flight, or {@code null}
 */
public record GraphStatus(int nodes, int edges, int items, long version, RunInfo lastBuild, RunInfo lastForget,
                          RunInfo lastConsolidate, BuildProgress currentBuild) {

    /**
     * One finished run.
     *
     * @param startedAt      when it started
     * @param durationMillis how long it took
     * @param outcome        {@code ok}, {@code failed} or {@code interrupted}
     * @param summary        what it did, one line
     */
    public record RunInfo(Instant startedAt, long durationMillis, String outcome, String summary) {
        public RunInfo {
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(summary, "summary");
        }
    }
}
