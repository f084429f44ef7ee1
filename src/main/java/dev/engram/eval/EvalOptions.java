package dev.engram.eval;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Options of an evaluation. Immutable; validated on construction.
 *
 * @param runs          the source sets to compare, in report order (default: {@code fused} only)
 * @param zone          zone in which the session dates are read (default UTC)
 * @param turnSpacing   time between consecutive turns of a session (default 30 s)
 * @param idleTimeout   longest wait for the target to finish memorising after ingest (default 30 min)
 * @param chatPrefix    prefix of the chat id of each sample (default {@code eval-}), so evaluations do not mix
 *                      with real chats
 * @param progress      show progress bars on the terminal for big files
 */
public record EvalOptions(List<SourceSet> runs, ZoneId zone, Duration turnSpacing, Duration idleTimeout,
                          String chatPrefix, boolean progress) {
    /** Files with at least this many turns plus questions get progress bars. */
    public static final int PROGRESS_THRESHOLD = 200;

    public EvalOptions {
        runs = List.copyOf(runs);
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(turnSpacing, "turnSpacing");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(chatPrefix, "chatPrefix");
        if (runs.isEmpty()) throw new IllegalArgumentException("at least one run is needed");
        if (turnSpacing.isNegative()) throw new IllegalArgumentException("turnSpacing must be >= 0");
        if (idleTimeout.isNegative()) throw new IllegalArgumentException("idleTimeout must be >= 0");
    }

    public static EvalOptions defaults() {
        return new EvalOptions(List.of(SourceSet.fused()), ZoneOffset.UTC, Duration.ofSeconds(30),
                Duration.ofMinutes(30), "eval-", true);
    }

    public EvalOptions withRuns(List<SourceSet> newRuns) {
        return new EvalOptions(newRuns, zone, turnSpacing, idleTimeout, chatPrefix, progress);
    }

    public EvalOptions withProgress(boolean show) {
        return new EvalOptions(runs, zone, turnSpacing, idleTimeout, chatPrefix, show);
    }
}
