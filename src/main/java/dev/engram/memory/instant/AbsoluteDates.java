package dev.engram.memory.instant;

import dev.engram.text.NumberWords;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites day-relative words in a memory text into absolute dates, relative to the day the source
 * messages were written: "昨天去了西湖" written on 2026-03-03 is stored as "2026年3月2日去了西湖", so the
 * memory stays true when read later (the original froze "3分钟前"-style times into stored text, W4).
 * Pure; thread-safe.
 */
final class AbsoluteDates {
    private record Relative(Pattern pattern, int offsetGroupSign, int fixedOffset, String suffix) {
    }

    private static final int CI = Pattern.CASE_INSENSITIVE;
    private static final String N = NumberWords.PATTERN;
    // Longest forms first, so 大前天 is not read as 前天.
    private static final List<Relative> CHINESE = List.of(
            new Relative(Pattern.compile(N + "\\s*天(?:以)?前"), -1, 0, ""),
            new Relative(Pattern.compile(N + "\\s*天(?:以)?后"), 1, 0, ""),
            new Relative(Pattern.compile("大前天"), 0, -3, ""),
            new Relative(Pattern.compile("大后天"), 0, 3, ""),
            new Relative(Pattern.compile("前天"), 0, -2, ""),
            new Relative(Pattern.compile("后天"), 0, 2, ""),
            new Relative(Pattern.compile("昨(?:天|日)"), 0, -1, ""),
            new Relative(Pattern.compile("昨晚|昨夜"), 0, -1, "晚上"),
            new Relative(Pattern.compile("今(?:天|日|儿)"), 0, 0, ""),
            new Relative(Pattern.compile("今晚"), 0, 0, "晚上"),
            new Relative(Pattern.compile("今早"), 0, 0, "早上"),
            new Relative(Pattern.compile("明(?:天|日)"), 0, 1, ""),
            new Relative(Pattern.compile("明晚"), 0, 1, "晚上"),
            new Relative(Pattern.compile("明早"), 0, 1, "早上"));
    private static final List<Relative> ENGLISH = List.of(
            new Relative(Pattern.compile("\\b" + N + "\\s+days?\\s+ago\\b", CI), -1, 0, ""),
            new Relative(Pattern.compile("\\bin\\s+" + N + "\\s+days?\\b", CI), 1, 0, ""),
            new Relative(Pattern.compile("\\b(?:the\\s+)?day\\s+before\\s+yesterday\\b", CI), 0, -2, ""),
            new Relative(Pattern.compile("\\b(?:the\\s+)?day\\s+after\\s+tomorrow\\b", CI), 0, 2, ""),
            new Relative(Pattern.compile("\\blast\\s+night\\b", CI), 0, -1, " (evening)"),
            new Relative(Pattern.compile("\\byesterday\\b", CI), 0, -1, ""),
            new Relative(Pattern.compile("\\btonight\\b", CI), 0, 0, " (evening)"),
            new Relative(Pattern.compile("\\bthis\\s+morning\\b", CI), 0, 0, " (morning)"),
            new Relative(Pattern.compile("\\btoday\\b", CI), 0, 0, ""),
            new Relative(Pattern.compile("\\btomorrow\\b", CI), 0, 1, ""));
    private static final Pattern PREPOSITION_BEFORE = Pattern.compile(
            "(?:\\b(?:on|since|until|till|from|by|before|after|of|to|for)\\s*)$", CI);

    private AbsoluteDates() {
    }

    /** {@code text} with relative day words replaced by dates relative to {@code writtenOn}. */
    static String rewrite(String text, LocalDate writtenOn) {
        String out = text;
        for (Relative r : CHINESE) out = replace(out, r, writtenOn, false);
        for (Relative r : ENGLISH) out = replace(out, r, writtenOn, true);
        return out;
    }

    private static String replace(String text, Relative r, LocalDate writtenOn, boolean english) {
        Matcher m = r.pattern().matcher(text);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            int offset = r.fixedOffset();
            if (r.offsetGroupSign() != 0) {
                int n = NumberWords.parse(m.group(1));
                if (n <= 0 || n > 3650) continue;
                offset = r.offsetGroupSign() * n;
            }
            LocalDate date = writtenOn.plusDays(offset);
            sb.append(text, last, m.start());
            if (english) {
                boolean needsOn = !PREPOSITION_BEFORE.matcher(text.substring(0, m.start())).find();
                sb.append(needsOn ? "on " : "").append(date).append(r.suffix());
            } else {
                sb.append(String.format(Locale.ROOT, "%d年%d月%d日", date.getYear(), date.getMonthValue(),
                        date.getDayOfMonth())).append(r.suffix());
            }
            last = m.end();
        }
        if (last == 0) return text;
        return sb.append(text, last, text.length()).toString();
    }
}
