package dev.engram.task;

import java.util.Locale;
import java.util.Optional;

/**
 * The kind of a {@link MemoryTask}, with the scheduling facts that follow from it: its lane, its base
 * priority (the seed's 1 low / 2 medium / 3 high) and whether it is written to the outbox before it is
 * acknowledged.
 */
public enum TaskType {
    STORE(Lane.INGEST, 2, true),
    RETRIEVE(Lane.INTERACTIVE, 3, false),
    BUILD(Lane.MAINTENANCE, 1, true),
    FORGET(Lane.MAINTENANCE, 1, false),
    CONSOLIDATE(Lane.MAINTENANCE, 1, false),
    /** Optional work that follows a store of the same chat (in its FIFO order); low priority, not persisted. */
    PREFETCH(Lane.INGEST, 1, false);

    private final Lane lane;
    private final int priority;
    private final boolean durable;

    TaskType(Lane lane, int priority, boolean durable) {
        this.lane = lane;
        this.priority = priority;
        this.durable = durable;
    }

    public Lane lane() {
        return lane;
    }

    /** Base priority, higher runs first; waiting raises it (aging). */
    public int priority() {
        return priority;
    }

    /** Whether tasks of this type survive a crash (outbox row written before acknowledgement). */
    public boolean durable() {
        return durable;
    }

    /** The lower-case name used in task ids, the outbox {@code type} column and the API. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type whose {@link #wire()} name is {@code name}, if any. */
    public static Optional<TaskType> fromWire(String name) {
        for (TaskType t : values()) {
            if (t.wire().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
