package dev.engram.text;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rewrites relative day phrases of a text into absolute dates, relative to the day the text was written:
 * "昨天去了西湖" written on 2026-03-03 becomes "2026-03-02（周一）去了西湖", "下周三" written on 2026-12-02
 * becomes "2026-12-09（周三）", "next Wednesday" becomes "on 2026-12-09 (Wednesday)", so a stored fact stays
 * true when read later (the original froze "3分钟前"-style times into stored text, W4). The phrases are
 * those {@link TimeExpressions} reads as days ({@link TimeExpression.Days}, except "just now") and relative
 * weekdays ({@link TimeExpression.Day} written without digits: 上周三, 下周三, 这周五, last / next / this
 * Monday); dates already written with digits are left alone. A date directly after a Han character or a
 * letter is separated from it by a space. Pure; thread-safe.
 */
public final class AbsoluteDates {
    private static final Pattern PREPOSITION_BEFORE = Pattern.compile(
            "(?:\\b(?:on|since|until|till|from|by|before|after|of|to|for)\\s*)$", Pattern.CASE_INSENSITIVE);
    private static final String WEEKDAYS_ZH = "一二三四五六日";

    private AbsoluteDates() {
    }

    /** {@code text} with relative day phrases replaced by the dates they meant on {@code writtenOn}. */
    public static String rewrite(String text, LocalDate writtenOn) {
        StringBuilder out = new StringBuilder();
        int last = 0;
        for (TimeExpressions.Mention mention : TimeExpressions.find(text, writtenOn)) {
            String phrase = text.substring(mention.start(), mention.end());
            LocalDate date;
            TimeExpression.PartOfDay part = TimeExpression.PartOfDay.WHOLE_DAY;
            if (mention.meaning() instanceof TimeExpression.Days days && days.part() != TimeExpression.PartOfDay.JUST_NOW) {
                date = writtenOn.plusDays(days.offset());
                part = days.part();
            } else if (mention.meaning() instanceof TimeExpression.Day day && phrase.chars().noneMatch(Character::isDigit)) {
                date = day.date();
            } else {
                continue;
            }
            out.append(text, last, mention.start());
            if (isChinese(phrase)) {
                if (!out.isEmpty() && Character.isLetter(out.codePointBefore(out.length()))) out.append(' ');
                out.append(date).append("（周").append(WEEKDAYS_ZH.charAt(date.getDayOfWeek().getValue() - 1))
                        .append('）').append(suffix(part, true));
            } else {
                boolean needsOn = !PREPOSITION_BEFORE.matcher(text.substring(0, mention.start())).find();
                out.append(needsOn ? "on " : "").append(date).append(" (").append(weekday(date.getDayOfWeek()))
                        .append(')').append(suffix(part, false));
            }
            last = mention.end();
        }
        return last == 0 ? text : out.append(text, last, text.length()).toString();
    }

    private static String weekday(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private static boolean isChinese(String phrase) {
        return phrase.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    private static String suffix(TimeExpression.PartOfDay part, boolean chinese) {
        return switch (part) {
            case MORNING -> chinese ? "早上" : " morning";
            case AFTERNOON -> chinese ? "下午" : " afternoon";
            case EVENING -> chinese ? "晚上" : " evening";
            case WHOLE_DAY, JUST_NOW -> "";
        };
    }
}
