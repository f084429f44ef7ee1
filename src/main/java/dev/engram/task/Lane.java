package dev.engram.task;

/**
 * The three lanes of the task engine, each with its own concurrency limit and queue bound.
 */
public enum Lane {
    /** Retrievals for a reply: high priority, with worker capacity that background work can never take. */
    INTERACTIVE,
    /** Stores: first in, first out per chat, chats in parallel. */
    INGEST,
    /** Build, forget and consolidate: strictly one at a time, so they never interleave on the same data. */
    MAINTENANCE;

    /** The lower-case name used in metrics tags and status output. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
