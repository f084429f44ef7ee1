package dev.engram.task;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes {@link TaskId}s: the type's name and a UUID version 7 whose 48-bit millisecond timestamp and
 * 12-bit sub-millisecond counter come from one monotonic stamp, so ids of one generator never repeat and
 * sort by creation, even within a millisecond or when the clock steps back. Thread-safe (lock-free).
 */
final class TaskIdGenerator {
    private final Clock clock;
    private final AtomicLong lastStamp = new AtomicLong();

    TaskIdGenerator(Clock clock) {
        this.clock = clock;
    }

    TaskId next(TaskType type) {
        long millis = clock.millis();
        long stamp = lastStamp.updateAndGet(prev -> Math.max(prev + 1, millis << 12));
        long high = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xFFFL);
        long low = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new TaskId(type.wire() + "-" + new UUID(high, low));
    }

    /**
     * An id below every id this class makes for {@code type} at or after {@code at}, and above every one
     * made before it (ids of one type sort by creation as strings: fixed-width lower-case hex).
     */
    static String lowestIdAt(TaskType type, Instant at) {
        return type.wire() + "-" + new UUID(Math.max(0, at.toEpochMilli()) << 16, 0L);
    }

    /** The creation time encoded in an id made by a generator, or {@code fallback} for any other id. */
    static Instant createdAt(TaskId id, Instant fallback) {
        String value = id.value();
        try {
            UUID uuid = UUID.fromString(value.substring(value.indexOf('-') + 1));
            return uuid.version() == 7 ? Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16) : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
