package dev.engram.text;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engram.text.TimeExpression.Days;
import dev.engram.text.TimeExpression.PartOfDay;

/**
 * The one grammar of time phrases, Chinese and English, and its three readings: the span a recall is
 * filtered to ({@link #range}), the phrase in the {@code MEMORY_QUERY} contract's vocabulary
 * ({@link #contractTime}), and every phrase with its position ({@link #find}, for rewriting relative
 * days into dates). Fixes the original's D-I3: an unknown time means <em>no filter</em>, never
 * "everything since 1970", and {@code N个月前} is a whole calendar month, not one day.
 *
 * <p>Understood, in this order of precedence: {@code YYYY-MM-DD[ HH:MM[:SS]]} and {@code YYYY年M月D日};
 * English dates ({@code on 12 January, 2025}, {@code Jan 12}, {@code March 3rd 2025}); {@code M月D日};
 * months ({@code YYYY年M月}, {@code in March}); {@code N小时前}; {@code N天前 / N days ago} and
 * {@code N天后 / in N days}; day words (大前天 / 前天 / 昨天 / 昨晚 / 今天 / 今早 / 刚才 / 明天 / 后天 / 大后天,
 * yesterday / last night / today / tonight / tomorrow…); {@code 上周三 / last Monday}; {@code 下周三 / 这周五 /
 * next Wednesday / this Friday} (a day of next or this calendar week: future days name no past span); 前几天;
 * {@code N周前}, 上周 / 本周; {@code N个月前}, 上个月 / 本月; {@code N年前}, 去年 / 今年. Numbers may be
 * digits, Chinese numerals or English words ({@link NumberWords}). A month-day without a year is its
 * latest occurrence not after today. Pure and thread-safe.
 */
public final class TimeExpressions {
    private static final int CI = Pattern.CASE_INSENSITIVE;
    private static final String N = NumberWords.PATTERN;
    private static final String MONTHS = "(january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\b\\.?";
    private static final String WEEKDAYS_ZH = "一二三四五六日天";
    /** A weekday character after 周 / 星期 (group 1); "一" not when it starts a word (这周一直, 上周一起…). */
    private static final String WEEKDAY_ZH = "(一(?![直起样定些点下共般切同])|[" + WEEKDAYS_ZH.substring(1) + "])";
    private static final List<String> WEEKDAYS_EN = List.of("monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday");
    /** The longest day count read as days (ten years); larger numbers are not days. */
    private static final int MAX_DAYS = 3650;
    private static final Pattern FULL_DATE = Pattern.compile(
            "(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})[日号]?(?:[\\sT]*(\\d{1,2})[:：点时](?:(\\d{1,2})(?:[:：分](\\d{1,2}))?)?)?");

    /** A time phrase found in a text: {@code text.substring(start, end)} means {@code meaning}. */
    public record Mention(int start, int end, TimeExpression meaning) {
    }

    /** A pattern and what a match means given today's date ({@code null} when unknown); null for nothing. */
    private record Rule(Pattern pattern, BiFunction<Matcher, LocalDate, TimeExpression> meaning) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(FULL_DATE, (m, today) -> fullDate(m)),
            rule("\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTHS + ",?(?:\\s+(\\d{4}))?\\b", CI,
                    (m, today) -> dayOf(today, m.group(3), monthNumber(m.group(2)), m.group(1))),
            rule("\\b" + MONTHS + "\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?", CI,
                    (m, today) -> dayOf(today, m.group(3), monthNumber(m.group(1)), m.group(2))),
            rule("(\\d{1,2})月(\\d{1,2})[日号]", 0,
                    (m, today) -> dayOf(today, null, Integer.parseInt(m.group(1)), m.group(2))),
            rule("(\\d{4})年(\\d{1,2})月", 0, (m, today) -> new TimeExpression.Month(
                    YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))),
            rule("\\bin\\s+" + MONTHS + "(?:,?\\s+(\\d{4}))?\\b|\\b" + MONTHS + ",?\\s+(\\d{4})\\b", CI,
                    TimeExpressions::englishMonth),
            rule(N + "\\s*个?(?:小时|钟头)(?:以)?前|\\b" + N + "\\s+hours?\\s+ago", CI,
                    (m, today) -> new TimeExpression.HoursAgo(number(m))),
            rule(N + "\\s*(?:天|日)(?:以)?前|\\b" + N + "\\s+days?\\s+ago\\b", CI, (m, today) -> counted(-number(m))),
            rule(N + "\\s*天(?:以)?后|\\bin\\s+" + N + "\\s+days?\\b", CI, (m, today) -> counted(number(m))),
            dayWord("大前天", 0, -3),
            dayWord("前天|前日|\\b(?:the\\s+)?day\\s+before\\s+yesterday\\b", CI, -2),
            dayWord("昨天|昨日|昨晚|昨夜|\\byesterday\\b|\\blast\\s+night\\b", CI, -1),
            dayWord("今天|今日|今儿|今早|今晚|刚才|刚刚|\\btoday\\b|\\btonight\\b|\\bthis\\s+(?:morning|afternoon|evening)\\b",
                    CI, 0),
            dayWord("大后天", 0, 3),
            dayWord("后天|\\b(?:the\\s+)?day\\s+after\\s+tomorrow\\b", CI, 2),
            dayWord("明天|明日|明晚|明早|\\btomorrow\\b", CI, 1),
            rule("上个?(?:周|星期|礼拜)" + WEEKDAY_ZH + "", 0,
                    (m, today) -> lastWeekday(today, WEEKDAYS_ZH.indexOf(m.group(1).charAt(0)))),
            rule("\\blast\\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b", CI,
                    (m, today) -> previousWeekday(today, WEEKDAYS_EN.indexOf(m.group(1).toLowerCase(Locale.ROOT)))),
            rule("下个?(?:周|星期|礼拜)" + WEEKDAY_ZH + "", 0,
                    (m, today) -> weekdayOfWeek(today, 1, WEEKDAYS_ZH.indexOf(m.group(1).charAt(0)))),
            rule("(?:本|这个?)(?:周|星期|礼拜)" + WEEKDAY_ZH + "", 0,
                    (m, today) -> weekdayOfWeek(today, 0, WEEKDAYS_ZH.indexOf(m.group(1).charAt(0)))),
            rule("\\b(next|this)\\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b", CI,
                    (m, today) -> weekdayOfWeek(today, m.group(1).equalsIgnoreCase("next") ? 1 : 0,
                            WEEKDAYS_EN.indexOf(m.group(2).toLowerCase(Locale.ROOT)))),
            rule("前几天|前些天|这几天|\\bthe other day\\b", CI, (m, today) -> new TimeExpression.RecentDays()),
            rule(N + "\\s*个?(?:周|星期|礼拜)(?:以)?前|\\b" + N + "\\s+weeks?\\s+ago", CI,
                    (m, today) -> new TimeExpression.WeeksAgo(number(m))),
            fixed("上个?(?:周|星期|礼拜)|\\blast\\s+week\\b", new TimeExpression.WeeksAgo(1)),
            fixed("(?:本|这个?)(?:周|星期|礼拜)|\\bthis\\s+week\\b", new TimeExpression.WeeksAgo(0)),
            rule(N + "\\s*个月(?:以)?前|\\b" + N + "\\s+months?\\s+ago", CI,
                    (m, today) -> new TimeExpression.MonthsAgo(number(m))),
            fixed("上个?月|\\blast\\s+month\\b", new TimeExpression.MonthsAgo(1)),
            fixed("(?:本|这个)月|\\bthis\\s+month\\b", new TimeExpression.MonthsAgo(0)),
            rule(N + "\\s*年(?:以)?前|\\b" + N + "\\s+years?\\s+ago", CI,
                    (m, today) -> new TimeExpression.YearsAgo(number(m))),
            fixed("去年|\\blast\\s+year\\b", new TimeExpression.YearsAgo(1)),
            fixed("今年|\\bthis\\s+year\\b", new TimeExpression.YearsAgo(0)));

    private TimeExpressions() {
    }

    /**
     * @param text the query (or an LLM's {@code time} field)
     * @param now  the current time; its zone defines days, weeks and months
     * @return the past span the text refers to (the first phrase, by precedence, that names one), or
     *         empty when it names none: no filter
     */
    public static Optional<TimeRange> range(String text, ZonedDateTime now) {
        return first(text, now.toLocalDate(), e -> e.span(now));
    }

    /**
     * @param text  the message
     * @param today the current date, or {@code null} when unknown (then dates that need it are ignored)
     * @return the contract time string of the first phrase (by precedence) the contract can express, or empty
     */
    public static Optional<String> contractTime(String text, LocalDate today) {
        return first(text, today, e -> today == null && e instanceof TimeExpression.Month ? Optional.empty()
                : e.contractForm(today));
    }

    /** Every time phrase in {@code text}, in text order; where phrases overlap, the one of higher precedence. */
    public static List<Mention> find(String text, LocalDate today) {
        List<Mention> found = new ArrayList<>();
        if (text == null || text.isBlank()) return found;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                int start = m.start();
                int end = m.end();
                if (found.stream().noneMatch(f -> f.start() < end && start < f.end())) {
                    meaning(rule, m, today).ifPresent(e -> found.add(new Mention(start, end, e)));
                }
            }
        }
        found.sort(Comparator.comparingInt(Mention::start));
        return found;
    }

    /** A date written as ISO {@code YYYY-MM-DD...} or {@code YYYY年M月D日} (e.g. the {@code now} variable), else {@code null}. */
    public static LocalDate parseDate(String text) {
        if (text == null) return null;
        Matcher m = FULL_DATE.matcher(text);
        try {
            return m.find() ? date(m) : null;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static <T> Optional<T> first(String text, LocalDate today, Function<TimeExpression, Optional<T>> reading) {
        if (text == null || text.isBlank()) return Optional.empty();
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                Optional<T> read = meaning(rule, m, today).flatMap(reading);
                if (read.isPresent()) return read;
            }
        }
        return Optional.empty();
    }

    private static Optional<TimeExpression> meaning(Rule rule, Matcher m, LocalDate today) {
        try {
            return Optional.ofNullable(rule.meaning().apply(m, today));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty(); // e.g. 2月30日: not a date, so not a time
        }
    }

    private static Rule rule(String regex, int flags, BiFunction<Matcher, LocalDate, TimeExpression> meaning) {
        return new Rule(Pattern.compile(regex, flags), meaning);
    }

    private static Rule fixed(String regex, TimeExpression meaning) {
        return rule(regex, CI, (m, today) -> meaning);
    }

    private static Rule dayWord(String regex, int flags, int offset) {
        return rule(regex, flags, (m, today) -> new Days(offset, false, part(m.group())));
    }

    private static PartOfDay part(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.startsWith("刚")) return PartOfDay.JUST_NOW;
        if (w.matches(".*(晚|夜|night|evening).*")) return PartOfDay.EVENING;
        if (w.matches(".*(早|morning).*")) return PartOfDay.MORNING;
        if (w.contains("afternoon")) return PartOfDay.AFTERNOON;
        return PartOfDay.WHOLE_DAY;
    }

    private static TimeExpression counted(int offset) {
        return offset == 0 || Math.abs(offset) > MAX_DAYS ? null : new Days(offset, true, PartOfDay.WHOLE_DAY);
    }

    private static int number(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) return NumberWords.parse(m.group(g));
        }
        return 0;
    }

    private static LocalDate date(Matcher m) {
        return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** A date, and its time when one is written and valid. */
    private static TimeExpression fullDate(Matcher m) {
        LocalDate date = date(m);
        if (m.group(4) == null) return new TimeExpression.Day(date);
        int hour = Integer.parseInt(m.group(4));
        int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (hour > 23 || minute > 59 || second > 59) return new TimeExpression.Day(date);
        return new TimeExpression.At(LocalDateTime.of(date, LocalTime.of(hour, minute, second)));
    }

    /** A month-day in {@code year}, or (year absent) its latest occurrence not after today. */
    private static TimeExpression dayOf(LocalDate today, String year, int month, String day) {
        if (year == null && today == null) return null;
        LocalDate date = LocalDate.of(year == null ? today.getYear() : Integer.parseInt(year), month, Integer.parseInt(day));
        if (year == null && date.isAfter(today)) date = date.minusYears(1);
        return new TimeExpression.Day(date);
    }

    private static TimeExpression englishMonth(Matcher m, LocalDate today) {
        String name = m.group(1) != null ? m.group(1) : m.group(3);
        String year = m.group(1) != null ? m.group(2) : m.group(4);
        int month = monthNumber(name);
        if (year == null && today == null) return null;
        int y = year != null ? Integer.parseInt(year)
                : month > today.getMonthValue() ? today.getYear() - 1 : today.getYear();
        return new TimeExpression.Month(YearMonth.of(y, month));
    }

    private static int monthNumber(String name) {
        String key = name.toLowerCase(Locale.ROOT).substring(0, 3);
        return List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").indexOf(key) + 1;
    }

    /** 上周X: day {@code index} (0 = Monday, 6/7 = Sunday) of last calendar week. */
    private static TimeExpression lastWeekday(LocalDate today, int index) {
        if (today == null) return null;
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
        return new TimeExpression.Day(monday.plusDays(Math.min(index, 6)));
    }

    /** 下周X / 这周X / next X / this X: day {@code index} (0 = Monday, 6/7 = Sunday) of the calendar week {@code weeks} from this one. */
    private static TimeExpression weekdayOfWeek(LocalDate today, int weeks, int index) {
        if (today == null) return null;
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(weeks);
        return new TimeExpression.Day(monday.plusDays(Math.min(index, 6)));
    }

    /** "last Friday": the latest such weekday strictly before today. */
    private static TimeExpression previousWeekday(LocalDate today, int index) {
        return today == null ? null : new TimeExpression.Day(today.with(TemporalAdjusters.previous(DayOfWeek.of(index + 1))));
    }
}
