package dev.engram.memory.cluster;

import java.time.Duration;
import java.time.Instant;

import dev.engram.memory.vector.FollowResult;

/** The follower's counters: written by its thread only, read by {@link ChangeFollower#status()} from any. */
final class FollowerCounts {
    volatile String state = "starting";
    volatile String start = "";
    volatile boolean stale;
    volatile long graphReloads;
    volatile long pruned;
    private volatile long applied;
    private volatile long skippedOwn;
    private volatile long indexed;
    private volatile long removed;
    private volatile long waiting;
    private volatile long reused;
    private volatile long computed;
    private volatile Instant newestApplied;
    private volatile String lastError;

    void add(int appliedRows, int own, FollowResult r, Instant newest) {
        applied += appliedRows;
        skippedOwn += own;
        indexed += r.indexed();
        removed += r.removed();
        waiting += r.waiting();
        reused += r.reused();
        computed += r.computed();
        if (newest != null && (newestApplied == null || newest.isAfter(newestApplied))) newestApplied = newest;
    }

    void ok() {
        lastError = null;
        if ("failing".equals(state)) state = "following";
    }

    void failed(Exception e) {
        lastError = e.toString();
        if (!"stopped".equals(state)) state = "failing";
    }

    ChangeFeedStatus status(String instance, FeedCursor c, Instant now) {
        Instant newest = newestApplied;
        String st = stale && !"stopped".equals(state) ? "stale" : state;
        return new ChangeFeedStatus(st, instance, start, c == null ? 0 : c.cursor(), c == null ? 0 : c.maxSeen(),
                c == null ? 0 : c.openGaps(), c == null ? 0 : c.rolledBack(), c == null ? 0 : c.timedOut(), applied,
                skippedOwn, newest == null ? -1 : Math.max(0, Duration.between(newest, now).toMillis()), indexed, removed,
                waiting, reused, computed, graphReloads, pruned, lastError);
    }
}
