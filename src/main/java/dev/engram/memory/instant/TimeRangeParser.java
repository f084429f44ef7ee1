package dev.engram.memory.instant;

import dev.engram.text.NumberWords;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the time span a query refers to, relative to a given {@code now} (whose zone defines the
 * calendar). Fixes the original's D-I3: an unknown time means <em>no filter</em> (empty result),
 * never "everything since 1970" by accident, and "N个月前" is a whole calendar month, not one day.
 *
 * <p>Understood, first match wins in this order: {@code YYYY-MM-DD[ HH:MM[:SS]]} and
 * {@code YYYY年M月D日} (a date-time gives one hour, as in the original); English dates
 * ({@code on 12 January, 2025}, {@code Jan 12}, {@code March 3rd 2025}); {@code M月D日};
 * month names ({@code YYYY年M月}, {@code in March}); 大前天 / 前天 / 昨天 / 今天 and
 * {@code today / yesterday / day before yesterday}; {@code 上周三 / last Monday}; {@code N小时前};
 * {@code N天前 / N days ago} (that day, widened by a day on each side from 3 days on, since people
 * round); 前几天; {@code N周前 / N weeks ago} and 上周 / 本周 (Monday-based weeks); {@code N个月前 /
 * N months ago}, 上个月 / 本月; {@code N年前}, 去年 / 今年. Numbers may be digits, Chinese numerals or
 * English words. Pure and thread-safe.
 */
public final class TimeRangeParser {
    private static final int CI = Pattern.CASE_INSENSITIVE;
    private static final String N = NumberWords.PATTERN;
    private static final String MONTHS = "(january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\b\\.?";
    private static final String WEEKDAYS_ZH = "一二三四五六日天";
    private static final List<String> WEEKDAYS_EN = List.of("monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday");

    private record Rule(Pattern pattern, BiFunction<Matcher, ZonedDateTime, Optional<TimeRange>> range) {
    }

    private static final List<Rule> RULES = List.of(
            rule("(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})[日号]?(?:[ T]*(\\d{1,2})[:：点时](\\d{1,2})?)?", 0,
                    TimeRangeParser::fullDate),
            rule("\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTHS + ",?(?:\\s+(\\d{4}))?\\b", CI,
                    (m, now) -> englishDate(m.group(2), m.group(1), m.group(3), now)),
            rule("\\b" + MONTHS + "\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?", CI,
                    (m, now) -> englishDate(m.group(1), m.group(2), m.group(3), now)),
            rule("(\\d{1,2})月(\\d{1,2})[日号]", 0, (m, now) -> dayOf(now, null, m.group(1), m.group(2))),
            rule("(\\d{4})年(\\d{1,2})月", 0, (m, now) -> month(now.getZone(), m.group(1), m.group(2))),
            rule("\\bin\\s+" + MONTHS + "(?:,?\\s+(\\d{4}))?\\b|\\b" + MONTHS + ",?\\s+(\\d{4})\\b", CI,
                    TimeRangeParser::englishMonth),
            rule("大前天", 0, (m, now) -> daysAgo(now, 3)),
            rule("前天|前日|day before yesterday", CI, (m, now) -> daysAgo(now, 2)),
            rule("昨天|昨日|昨晚|昨夜|\\byesterday\\b|last night", CI, (m, now) -> daysAgo(now, 1)),
            rule("今天|今日|今早|今晚|今儿|\\btoday\\b|\\btonight\\b|this morning|this afternoon|this evening", CI,
                    (m, now) -> daysAgo(now, 0)),
            rule("上个?(?:周|星期|礼拜)([" + WEEKDAYS_ZH + "])", 0,
                    (m, now) -> lastWeekday(now, WEEKDAYS_ZH.indexOf(m.group(1).charAt(0)))),
            rule("\\blast\\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b", CI,
                    (m, now) -> previousWeekday(now, WEEKDAYS_EN.indexOf(m.group(1).toLowerCase(Locale.ROOT)))),
            rule(N + "\\s*个?(?:小时|钟头)(?:以)?前|\\b" + N + "\\s+hours?\\s+ago", CI, TimeRangeParser::hoursAgo),
            rule(N + "\\s*(?:天|日)(?:以)?前|\\b" + N + "\\s+days?\\s+ago", CI,
                    (m, now) -> fuzzyDaysAgo(now, number(m))),
            rule("前几天|前些天|这几天|\\bthe other day\\b", CI,
                    (m, now) -> Optional.of(TimeRange.days(today(now).minusDays(7), today(now), now.getZone()))),
            rule(N + "\\s*个?(?:周|星期|礼拜)(?:以)?前|\\b" + N + "\\s+weeks?\\s+ago", CI,
                    (m, now) -> week(now, number(m))),
            rule("上个?(?:周|星期|礼拜)|\\blast\\s+week\\b", CI, (m, now) -> week(now, 1)),
            rule("(?:本|这个?)(?:周|星期|礼拜)|\\bthis\\s+week\\b", CI, (m, now) -> week(now, 0)),
            rule(N + "\\s*个月(?:以)?前|\\b" + N + "\\s+months?\\s+ago", CI, (m, now) -> monthsAgo(now, number(m))),
            rule("上个?月|\\blast\\s+month\\b", CI, (m, now) -> monthsAgo(now, 1)),
            rule("(?:本|这个)月|\\bthis\\s+month\\b", CI, (m, now) -> monthsAgo(now, 0)),
            rule(N + "\\s*年(?:以)?前|\\b" + N + "\\s+years?\\s+ago", CI, (m, now) -> yearsAgo(now, number(m))),
            rule("去年|\\blast\\s+year\\b", CI, (m, now) -> yearsAgo(now, 1)),
            rule("今年|\\bthis\\s+year\\b", CI, (m, now) -> yearsAgo(now, 0)));

    private TimeRangeParser() {
    }

    /**
     * @param text the query (or an LLM's {@code time} field)
     * @param now  the current time; its zone defines days, weeks and months
     * @return the span the text refers to, or empty when it names no time (no filter)
     */
    public static Optional<TimeRange> parse(String text, ZonedDateTime now) {
        if (text == null || text.isBlank()) return Optional.empty();
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                Optional<TimeRange> range = safely(rule, m, now);
                if (range.isPresent()) return range;
            }
        }
        return Optional.empty();
    }

    private static Rule rule(String regex, int flags, BiFunction<Matcher, ZonedDateTime, Optional<TimeRange>> f) {
        return new Rule(Pattern.compile(regex, flags), f);
    }

    private static Optional<TimeRange> safely(Rule rule, Matcher m, ZonedDateTime now) {
        try {
            return rule.range().apply(m, now);
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty(); // e.g. 2月30日: not a date, so not a filter
        }
    }

    private static LocalDate today(ZonedDateTime now) {
        return now.toLocalDate();
    }

    private static int number(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) return NumberWords.parse(m.group(g));
        }
        return 0;
    }

    private static Optional<TimeRange> fullDate(Matcher m, ZonedDateTime now) {
        LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
        if (m.group(4) == null) return Optional.of(TimeRange.day(date, now.getZone()));
        int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        ZonedDateTime start = LocalDateTime.of(date, java.time.LocalTime.of(Integer.parseInt(m.group(4)), minute))
                .atZone(now.getZone());
        return Optional.of(new TimeRange(start.toInstant(), start.plusHours(1).toInstant()));
    }

    private static Optional<TimeRange> englishDate(String monthName, String day, String year, ZonedDateTime now) {
        return dayOf(now, year, Integer.toString(monthNumber(monthName)), day);
    }

    /** A month-day in {@code year}, or (year absent) its latest occurrence not after today. */
    private static Optional<TimeRange> dayOf(ZonedDateTime now, String year, String month, String day) {
        int y = year == null ? today(now).getYear() : Integer.parseInt(year);
        LocalDate date = LocalDate.of(y, Integer.parseInt(month), Integer.parseInt(day));
        if (year == null && date.isAfter(today(now))) date = date.minusYears(1);
        return Optional.of(TimeRange.day(date, now.getZone()));
    }

    private static Optional<TimeRange> month(ZoneId zone, String year, String month) {
        YearMonth ym = YearMonth.of(Integer.parseInt(year), Integer.parseInt(month));
        return Optional.of(TimeRange.days(ym.atDay(1), ym.plusMonths(1).atDay(1), zone));
    }

    private static Optional<TimeRange> englishMonth(Matcher m, ZonedDateTime now) {
        String name = m.group(1) != null ? m.group(1) : m.group(3);
        String year = m.group(1) != null ? m.group(2) : m.group(4);
        int month = monthNumber(name);
        int y = year != null ? Integer.parseInt(year)
                : month > today(now).getMonthValue() ? today(now).getYear() - 1 : today(now).getYear();
        return month(now.getZone(), Integer.toString(y), Integer.toString(month));
    }

    private static int monthNumber(String name) {
        String key = name.toLowerCase(Locale.ROOT).substring(0, 3);
        return List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").indexOf(key) + 1;
    }

    private static Optional<TimeRange> daysAgo(ZonedDateTime now, int days) {
        return Optional.of(TimeRange.day(today(now).minusDays(days), now.getZone()));
    }

    private static Optional<TimeRange> fuzzyDaysAgo(ZonedDateTime now, int days) {
        if (days <= 0) return Optional.empty();
        if (days <= 2) return daysAgo(now, days);
        LocalDate day = today(now).minusDays(days);
        return Optional.of(TimeRange.days(day.minusDays(1), day.plusDays(2), now.getZone()));
    }

    private static Optional<TimeRange> hoursAgo(Matcher m, ZonedDateTime now) {
        int hours = number(m);
        if (hours <= 0) return Optional.empty();
        ZonedDateTime at = now.minusHours(hours);
        return Optional.of(new TimeRange(at.minus(Duration.ofHours(1)).toInstant(), at.plusHours(1).toInstant()));
    }

    /** Monday-based calendar week {@code weeksAgo} weeks before this one (0 = this week). */
    private static Optional<TimeRange> week(ZonedDateTime now, int weeksAgo) {
        if (weeksAgo < 0) return Optional.empty();
        LocalDate monday = today(now).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(weeksAgo);
        return Optional.of(TimeRange.days(monday, monday.plusWeeks(1), now.getZone()));
    }

    /** 上周X: day {@code index} (0 = Monday, 6/7 = Sunday) of last calendar week. */
    private static Optional<TimeRange> lastWeekday(ZonedDateTime now, int index) {
        LocalDate monday = today(now).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
        return Optional.of(TimeRange.day(monday.plusDays(Math.min(index, 6)), now.getZone()));
    }

    /** "last Friday": the latest such weekday strictly before today. */
    private static Optional<TimeRange> previousWeekday(ZonedDateTime now, int index) {
        LocalDate day = today(now).with(TemporalAdjusters.previous(DayOfWeek.of(index + 1)));
        return Optional.of(TimeRange.day(day, now.getZone()));
    }

    private static Optional<TimeRange> monthsAgo(ZonedDateTime now, int months) {
        if (months < 0) return Optional.empty();
        YearMonth ym = YearMonth.from(today(now)).minusMonths(months);
        return Optional.of(TimeRange.days(ym.atDay(1), ym.plusMonths(1).atDay(1), now.getZone()));
    }

    private static Optional<TimeRange> yearsAgo(ZonedDateTime now, int years) {
        if (years < 0) return Optional.empty();
        int year = today(now).getYear() - years;
        return Optional.of(TimeRange.days(LocalDate.of(year, 1, 1), LocalDate.of(year + 1, 1, 1), now.getZone()));
    }
}
