package dev.engram.text;

import java.util.List;
import java.util.Locale;

/** Small numbers written as digits, Chinese numerals (up to 999) or English words. Pure; thread-safe. */
public final class NumberWords {
    /** Regex alternatives matching what {@link #parse} understands. */
    public static final String PATTERN = "(\\d{1,4}|[零一二两三四五六七八九十百]{1,4}|an?|one|two|three|four|five|six|seven|eight"
            + "|nine|ten|eleven|twelve|a couple of|a few|several|几)";
    private static final List<String> ENGLISH = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve");
    private static final String DIGITS = "零一二三四五六七八九";

    private NumberWords() {
    }

    /** The value, or 0 when the text is not a number this class knows. "a few"/"几" count as 3. */
    public static int parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) return t.length() > 6 ? 0 : Integer.parseInt(t);
        int english = ENGLISH.indexOf(t);
        if (english >= 0) return english;
        return switch (t) {
            case "a", "an" -> 1;
            case "a couple of" -> 2;
            case "a few", "several", "几" -> 3;
            default -> chinese(t);
        };
    }

    /** A Chinese numeral up to 999 (一, 十二, 两百三十), or 0 when {@code t} is not one. */
    public static int chinese(String t) {
        int total = 0;
        int current = 0;
        for (char c : t.toCharArray()) {
            int d = c == '两' ? 2 : DIGITS.indexOf(c);
            if (d >= 0) {
                current = d;
            } else if (c == '十') {
                total += (current == 0 ? 1 : current) * 10;
                current = 0;
            } else if (c == '百') {
                total += (current == 0 ? 1 : current) * 100;
                current = 0;
            } else {
                return 0;
            }
        }
        return total + current;
    }
}
