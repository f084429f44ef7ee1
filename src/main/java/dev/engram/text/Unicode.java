package dev.engram.text;

/**
 * Checks that text taken from the outside can be stored without loss and carries something to read.
 * Stateless and thread-safe.
 */
public final class Unicode {
    private Unicode() {
    }

    /**
     * True when every UTF-16 surrogate is paired: the text can be encoded as UTF-8 (and stored) unchanged.
     * A lone surrogate (JSON {@code "\ud800"}) would be replaced by {@code ?} in storage, merging distinct ids.
     */
    public static boolean wellFormed(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == n || !Character.isLowSurrogate(text.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the text has at least one visible character: not only whitespace, control characters (NUL…)
     * or invisible format characters (zero-width space, word joiner, BOM, bidi marks).
     */
    public static boolean hasVisibleText(CharSequence text) {
        return text.codePoints().anyMatch(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
                && !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT);
    }
}
