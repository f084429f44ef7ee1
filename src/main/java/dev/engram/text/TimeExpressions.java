package dev.engram.text;

import dev.engram.text.NumberWords;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the time a message refers to and writes it in the {@link PromptId#MEMORY_QUERY} contract's
 * vocabulary: {@code YYYY-MM-DD HH:MM:SS}, {@code YYYY-MM-DD}, {@code 今天}, {@code 昨天}, {@code 前天},
 * {@code N天前}, {@code N个月前}. Chinese and English. Weeks become {@code 7N天前}, years {@code 12N个月前}.
 * Pure: the current date is a parameter. Stateless and thread-safe.
 */
public final class TimeExpressions {

    private static final int CI = Pattern.CASE_INSENSITIVE;
    private static final String NUM = "(\\d+|[零一二两三四五六七八九十百]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten"
            + "|eleven|twelve)";
    private static final Pattern FULL_DATE = Pattern.compile(
            "(\\d{4})[-/.年](\\d{1,2})[-/.月](\\d{1,2})[日号]?"
                    + "(?:\\s*(\\d{1,2})[:：点时](?:(\\d{1,2})(?:[:：分](\\d{1,2}))?)?)?");
    private static final Pattern MONTH_DAY = Pattern.compile("(\\d{1,2})月(\\d{1,2})[日号]");
    private static final Pattern DAYS_AGO = ago("\\s*(?:天|日)(?:以)?前", "days?");
    private static final Pattern WEEKS_AGO = ago("\\s*个?(?:星期|周|礼拜)(?:以)?前", "weeks?");
    private static final Pattern MONTHS_AGO = ago("\\s*个?月(?:以)?前", "months?");
    private static final Pattern YEARS_AGO = ago("\\s*年(?:以)?前", "years?");
    private static final Pattern LAST_YEAR = Pattern.compile("去年|last year", CI);
    private static final Pattern LAST_MONTH = Pattern.compile("上个?月|last month", CI);
    private static final Pattern LAST_WEEK = Pattern.compile("上个?(?:星期|周|礼拜)|last week", CI);
    private static final Pattern THREE_DAYS = Pattern.compile("大前天");
    private static final Pattern BEFORE_YESTERDAY = Pattern.compile("前天|前日|day before yesterday", CI);
    private static final Pattern YESTERDAY = Pattern.compile("昨天|昨日|昨晚|昨夜|\\byesterday\\b|last night", CI);
    private static final Pattern TODAY = Pattern.compile(
            "今天|今日|今早|今晚|今儿|刚才|刚刚|\\btoday\\b|tonight|this morning|this afternoon|earlier today", CI);

    private TimeExpressions() {
    }

    /** {@code <n><chinese unit>} or {@code <n> <english unit> ago}. */
    private static Pattern ago(String chineseUnit, String englishUnit) {
        return Pattern.compile(NUM + chineseUnit + "|\\b" + NUM + " " + englishUnit + " ago", CI);
    }

    /**
     * @param text  the message
     * @param today the current date, or {@code null} when unknown (then month-day dates without a year are
     *              ignored)
     * @return the contract time string, or empty when the text names no time
     */
    public static Optional<String> detect(String text, LocalDate today) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Matcher m = FULL_DATE.matcher(text);
        if (m.find()) {
            Optional<String> full = fullDate(m);
            if (full.isPresent()) {
                return full;
            }
        }
        m = MONTH_DAY.matcher(text);
        if (m.find() && today != null) {
            Optional<String> md = monthDay(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), today);
            if (md.isPresent()) {
                return md;
            }
        }
        Optional<String> relative = relative(text);
        if (relative.isPresent()) {
            return relative;
        }
        if (THREE_DAYS.matcher(text).find()) {
            return Optional.of("3天前");
        }
        if (BEFORE_YESTERDAY.matcher(text).find()) {
            return Optional.of("前天");
        }
        if (YESTERDAY.matcher(text).find()) {
            return Optional.of("昨天");
        }
        if (TODAY.matcher(text).find()) {
            return Optional.of("今天");
        }
        return Optional.empty();
    }

    /** Parses a date written as ISO {@code YYYY-MM-DD...} (e.g. the {@code now} variable), else {@code null}. */
    public static LocalDate parseDate(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FULL_DATE.matcher(text);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Optional<String> relative(String text) {
        Matcher m = DAYS_AGO.matcher(text);
        if (m.find()) {
            return ago(number(m), 1, "天前");
        }
        m = WEEKS_AGO.matcher(text);
        if (m.find()) {
            return ago(number(m), 7, "天前");
        }
        m = MONTHS_AGO.matcher(text);
        if (m.find()) {
            return ago(number(m), 1, "个月前");
        }
        m = YEARS_AGO.matcher(text);
        if (m.find()) {
            return ago(number(m), 12, "个月前");
        }
        if (LAST_YEAR.matcher(text).find()) {
            return Optional.of("12个月前");
        }
        if (LAST_MONTH.matcher(text).find()) {
            return Optional.of("1个月前");
        }
        if (LAST_WEEK.matcher(text).find()) {
            return Optional.of("7天前");
        }
        return Optional.empty();
    }

    private static Optional<String> ago(int n, int factor, String unit) {
        if (n <= 0) {
            return Optional.empty();
        }
        int value = n * factor;
        if (unit.equals("天前")) {
            return Optional.of(switch (value) {
                case 1 -> "昨天";
                case 2 -> "前天";
                default -> value + unit;
            });
        }
        return Optional.of(value + unit);
    }

    private static int number(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return parseNumber(m.group(g));
            }
        }
        return 0;
    }

    /** Parses Arabic digits, Chinese numerals up to 999 and English number words; 0 when unknown. */
    public static int parseNumber(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.chars().allMatch(Character::isDigit)) {
            return t.length() > 6 ? 0 : Integer.parseInt(t);
        }
        String[] words = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"};
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals(t)) {
                return i;
            }
        }
        if (t.equals("a") || t.equals("an")) {
            return 1;
        }
        return NumberWords.chinese(t);
    }


    private static Optional<String> fullDate(Matcher m) {
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return Optional.of(date.toString());
            }
            int hour = Integer.parseInt(m.group(4));
            int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            if (hour > 23 || minute > 59 || second > 59) {
                return Optional.of(date.toString());
            }
            return Optional.of(String.format(Locale.ROOT, "%s %02d:%02d:%02d", date, hour, minute, second));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> monthDay(int month, int day, LocalDate today) {
        try {
            LocalDate date = LocalDate.of(today.getYear(), month, day);
            return Optional.of((date.isAfter(today) ? date.minusYears(1) : date).toString());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
