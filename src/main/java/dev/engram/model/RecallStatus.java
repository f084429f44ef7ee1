package dev.engram.model;

/** How a recall ended; reported to callers as {@code memory_status}. */
public enum RecallStatus {
    /** Every source answered before the deadline. */
    OK,
    /** Some sources answered before the deadline; the others were dropped. */
    PARTIAL,
    /** No source answered before the deadline; a cached or empty result was used. */
    TIMEOUT,
    /** Recall was not attempted (engine saturated or shutting down); the reply goes out without memory. */
    SKIPPED,
    /** Memory is switched off in the configuration. */
    DISABLED;

    /** The lower-case wire name. */
    public String wire() {
        return name().toLowerCase();
    }
}
