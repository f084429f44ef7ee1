package dev.engram.text;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a time phrase means, as {@link TimeExpressions} reads it. Each meaning has two readings:
 * {@link #span} — the past span a recall should be filtered to (a phrase about the future, or one
 * too vague to filter by, has none) — and {@link #contractForm} — the phrase in the
 * {@code MEMORY_QUERY} prompt contract's vocabulary ({@code 今天}, {@code 昨天},
 * {@code 前天}, {@code N天前}, {@code N个月前}, {@code YYYY-MM-DD[ HH:MM:SS]}), where the contract can
 * express it. Weeks are Monday-based calendar weeks. Immutable.
 */
public sealed interface TimeExpression {

    /** @param now the current time; its zone defines days, weeks and months */
    Optional<TimeRange> span(ZonedDateTime now);

    /** @param today the current date */
    Optional<String> contractForm(LocalDate today);

    /** Which part of a day a day word names ({@code 昨晚}: the evening). */
    enum PartOfDay { WHOLE_DAY, MORNING, AFTERNOON, EVENING, JUST_NOW }

    /**
     * A day relative to today: {@code 昨天} is -1, {@code 明天} +1.
     *
     * @param offset  days from today
     * @param counted whether the phrase counted the days ({@code 5天前}); people round such counts, so
     *                from three days on the span is widened by a day on each side
     * @param part    the part of the day named
     */
    record Days(int offset, boolean counted, PartOfDay part) implements TimeExpression {
        public Days {
            Objects.requireNonNull(part, "part");
        }

        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            if (offset > 0) return Optional.empty(); // the future: no memory is from then
            LocalDate day = now.toLocalDate().plusDays(offset);
            if (counted && offset <= -3) return Optional.of(TimeRange.days(day.minusDays(1), day.plusDays(2), now.getZone()));
            return Optional.of(TimeRange.day(day, now.getZone()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return daysAgo(-offset);
        }
    }

    /** A calendar day; a future one names no past span and has no contract form. */
    record Day(LocalDate date) implements TimeExpression {
        public Day {
            Objects.requireNonNull(date, "date");
        }

        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            if (date.isAfter(now.toLocalDate())) return Optional.empty(); // the future: no memory is from then
            return Optional.of(TimeRange.day(date, now.getZone()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return today != null && date.isAfter(today) ? Optional.empty() : Optional.of(date.toString());
        }
    }

    /** A moment to the minute (or second); its span is the hour from it, as in the original. */
    record At(LocalDateTime time) implements TimeExpression {
        public At {
            Objects.requireNonNull(time, "time");
        }

        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            ZonedDateTime start = time.truncatedTo(ChronoUnit.MINUTES).atZone(now.getZone());
            return Optional.of(new TimeRange(start.toInstant(), start.plusHours(1).toInstant()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return Optional.of(String.format(Locale.ROOT, "%s %02d:%02d:%02d", time.toLocalDate(), time.getHour(),
                    time.getMinute(), time.getSecond()));
        }
    }

    /** {@code N小时前}: the two hours around that moment. */
    record HoursAgo(int hours) implements TimeExpression {
        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            if (hours <= 0) return Optional.empty();
            ZonedDateTime at = now.minusHours(hours);
            return Optional.of(new TimeRange(at.minus(Duration.ofHours(1)).toInstant(), at.plusHours(1).toInstant()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return Optional.empty();
        }
    }

    /** {@code 前几天}, "the other day": the week before today. */
    record RecentDays() implements TimeExpression {
        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            LocalDate today = now.toLocalDate();
            return Optional.of(TimeRange.days(today.minusDays(7), today, now.getZone()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return Optional.empty();
        }
    }

    /** The calendar week {@code ago} weeks before this one (0 = this week). */
    record WeeksAgo(int ago) implements TimeExpression {
        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            if (ago < 0) return Optional.empty();
            LocalDate monday = now.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(ago);
            return Optional.of(TimeRange.days(monday, monday.plusWeeks(1), now.getZone()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return ago <= 0 ? Optional.empty() : daysAgo(7 * ago);
        }
    }

    /** The calendar month {@code ago} months before this one (0 = this month). */
    record MonthsAgo(int ago) implements TimeExpression {
        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            return ago < 0 ? Optional.empty() : new Month(YearMonth.from(now.toLocalDate()).minusMonths(ago)).span(now);
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return ago <= 0 ? Optional.empty() : Optional.of(ago + "个月前");
        }
    }

    /** A calendar month. */
    record Month(YearMonth month) implements TimeExpression {
        public Month {
            Objects.requireNonNull(month, "month");
        }

        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            return Optional.of(TimeRange.days(month.atDay(1), month.plusMonths(1).atDay(1), now.getZone()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return new MonthsAgo((int) month.until(YearMonth.from(today), ChronoUnit.MONTHS)).contractForm(today);
        }
    }

    /** The calendar year {@code ago} years before this one (0 = this year). */
    record YearsAgo(int ago) implements TimeExpression {
        @Override
        public Optional<TimeRange> span(ZonedDateTime now) {
            if (ago < 0) return Optional.empty();
            int year = now.getYear() - ago;
            return Optional.of(TimeRange.days(LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1), now.getZone()));
        }

        @Override
        public Optional<String> contractForm(LocalDate today) {
            return new MonthsAgo(12 * ago).contractForm(today);
        }
    }

    private static Optional<String> daysAgo(int days) {
        return switch (days) {
            case 0 -> Optional.of("今天");
            case 1 -> Optional.of("昨天");
            case 2 -> Optional.of("前天");
            default -> days < 0 ? Optional.empty() : Optional.of(days + "天前");
        };
    }
}
