package dev.engram.text;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A half-open time interval {@code [from, to)} that a query refers to. Immutable.
 *
 * @param from inclusive start
 * @param to   exclusive end, after {@code from}
 */
public record TimeRange(Instant from, Instant to) {
    /** Everything: used where a repository needs bounds but the query named no time. */
    public static final TimeRange ALL = new TimeRange(Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"));

    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) throw new IllegalArgumentException("time range must end after it starts: " + from + " .. " + to);
    }

    /** The calendar days {@code [first, endExclusive)} in {@code zone}. */
    public static TimeRange days(LocalDate first, LocalDate endExclusive, ZoneId zone) {
        return new TimeRange(first.atStartOfDay(zone).toInstant(), endExclusive.atStartOfDay(zone).toInstant());
    }

    /** One calendar day in {@code zone}. */
    public static TimeRange day(LocalDate day, ZoneId zone) {
        return days(day, day.plusDays(1), zone);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
