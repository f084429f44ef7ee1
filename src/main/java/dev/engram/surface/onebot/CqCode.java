package dev.engram.surface.onebot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The string message format of OneBot v11 ({@code message/string.md}): plain text with CQ codes such as
 * {@code [CQ:face,id=178]}. Parsing follows the spec: the function name runs from {@code [CQ:} to the first
 * {@code ,} or {@code ]}; parameters are split on {@code ,} and each on its first {@code =}; text outside codes
 * is unescaped ({@code &amp;amp; &amp;#91; &amp;#93;}), parameter values also {@code &amp;#44;}. An unterminated
 * code is kept as text. Stateless.
 */
final class CqCode {
    private static final String OPEN = "[CQ:";

    private CqCode() {
    }

    /** The segments of a string-format message, in order; adjacent text is one segment. */
    static List<Segment> parse(String message) {
        List<Segment> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < message.length()) {
            int start = message.indexOf(OPEN, i);
            int end = start < 0 ? -1 : message.indexOf(']', start);
            if (start < 0 || end < 0) {
                text.append(message, i, message.length());
                break;
            }
            text.append(message, i, start);
            flush(text, out);
            out.add(code(message.substring(start + OPEN.length(), end)));
            i = end + 1;
        }
        flush(text, out);
        return out;
    }

    /** {@code face,id=178} → the segment; a part without {@code =} is a parameter with an empty value. */
    private static Segment code(String body) {
        int comma = body.indexOf(',');
        String type = comma < 0 ? body : body.substring(0, comma);
        Map<String, String> data = new LinkedHashMap<>();
        if (comma >= 0) {
            for (String part : body.substring(comma + 1).split(",", -1)) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                if (!key.isEmpty()) data.put(key, eq < 0 ? "" : unescape(part.substring(eq + 1)));
            }
        }
        return new Segment(type, data);
    }

    private static void flush(StringBuilder text, List<Segment> out) {
        if (text.isEmpty()) return;
        out.add(Segment.text(unescape(text.toString())));
        text.setLength(0);
    }

    /** Undoes both escape tables ({@code &amp;#44;} never occurs in escaped plain text, so one rule serves both). */
    static String unescape(String s) {
        if (s.indexOf('&') < 0) return s;
        return s.replace("&#91;", "[").replace("&#93;", "]").replace("&#44;", ",").replace("&amp;", "&");
    }
}
