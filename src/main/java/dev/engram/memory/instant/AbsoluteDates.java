package dev.engram.memory.instant;

import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.engram.text.TimeExpression;
import dev.engram.text.TimeExpressions;

/**
 * Rewrites day-relative words in a memory text into absolute dates, relative to the day the source
 * messages were written: "昨天去了西湖" written on 2026-03-03 is stored as "2026年3月2日去了西湖", so the
 * memory stays true when read later (the original froze "3分钟前"-style times into stored text, W4).
 * The words are those {@link TimeExpressions} reads as days ({@link TimeExpression.Days}), except
 * "just now"; English ones become {@code on YYYY-MM-DD}. Pure; thread-safe.
 */
final class AbsoluteDates {
    private static final Pattern PREPOSITION_BEFORE = Pattern.compile(
            "(?:\\b(?:on|since|until|till|from|by|before|after|of|to|for)\\s*)$", Pattern.CASE_INSENSITIVE);

    private AbsoluteDates() {
    }

    /** {@code text} with relative day words replaced by dates relative to {@code writtenOn}. */
    static String rewrite(String text, LocalDate writtenOn) {
        StringBuilder out = new StringBuilder();
        int last = 0;
        for (TimeExpressions.Mention mention : TimeExpressions.find(text, writtenOn)) {
            if (!(mention.meaning() instanceof TimeExpression.Days days)
                    || days.part() == TimeExpression.PartOfDay.JUST_NOW) {
                continue;
            }
            LocalDate date = writtenOn.plusDays(days.offset());
            out.append(text, last, mention.start());
            if (isChinese(text.substring(mention.start(), mention.end()))) {
                out.append(String.format(Locale.ROOT, "%d年%d月%d日", date.getYear(), date.getMonthValue(),
                        date.getDayOfMonth())).append(suffix(days.part(), true));
            } else {
                boolean needsOn = !PREPOSITION_BEFORE.matcher(text.substring(0, mention.start())).find();
                out.append(needsOn ? "on " : "").append(date).append(suffix(days.part(), false));
            }
            last = mention.end();
        }
        return last == 0 ? text : out.append(text, last, text.length()).toString();
    }

    private static boolean isChinese(String phrase) {
        return phrase.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    private static String suffix(TimeExpression.PartOfDay part, boolean chinese) {
        return switch (part) {
            case MORNING -> chinese ? "早上" : " (morning)";
            case AFTERNOON -> chinese ? "下午" : " (afternoon)";
            case EVENING -> chinese ? "晚上" : " (evening)";
            case WHOLE_DAY, JUST_NOW -> "";
        };
    }
}
