package dev.engram.memory.recall;

/**
 * Estimates how many prompt tokens a text costs, without a tokenizer: one token per CJK character
 * (Han, kana, hangul: BPE vocabularies of current models average about one per character), and one
 * per four other characters, spaces included (the usual English rate), rounded up; plus
 * {@value #PER_MEMORY_OVERHEAD} tokens per memory for its line prefix and newline. Deliberately on the
 * high side, so a budget is not exceeded. Pure; thread-safe.
 */
public final class TokenEstimator {
    /** Tokens added per memory for its bullet and line break in the prompt. */
    public static final int PER_MEMORY_OVERHEAD = 2;

    private TokenEstimator() {
    }

    /** Estimated tokens of {@code text} (0 for null or empty). */
    public static int estimate(String text) {
        if (text == null || text.isEmpty()) return 0;
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                    || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL) {
                cjk++;
            } else {
                other++;
            }
        }
        return cjk + (other + 3) / 4;
    }

    /** Estimated tokens of one injected memory: its text plus {@link #PER_MEMORY_OVERHEAD}. */
    public static int perMemory(String text) {
        return estimate(text) + PER_MEMORY_OVERHEAD;
    }
}
