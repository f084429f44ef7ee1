package dev.engram.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat transcript as the memory prompts receive it: an optional {@code 当前日期: <ISO date>} line, then
 * blocks headed {@code HH:MM[:SS], name :} (content on the same or the following lines) or lines
 * {@code name：content}; any other line is content without a speaker. Immutable.
 *
 * @param date       the date of the {@code 当前日期} line ({@code YYYY-MM-DD}), or {@code null}
 * @param utterances what was said, in order
 */
public record Transcript(String date, List<Utterance> utterances) {

    /**
     * @param time    {@code HH:MM[:SS]} from a block header, or {@code null}
     * @param speaker who said it, or {@code null}
     * @param content what was said (may span lines)
     */
    public record Utterance(String time, String speaker, String content) {
    }

    private static final Pattern DATE_LINE = Pattern.compile("^\\s*当前日期\\s*[:：]\\s*(.+)$");
    private static final Pattern BLOCK_HEADER = Pattern.compile(
            "^\\s*\\[?(\\d{1,2}:\\d{2}(?::\\d{2})?)]?\\s*[,，]?\\s*([^:：\\n]{1,40}?)\\s*[:：]\\s*(.*)$");
    private static final Pattern SPEAKER_LINE = Pattern.compile(
            "^\\s*([^\\s:：,，。!！?？\\[\\]]{1,16})\\s*[:：]\\s*(?!//)(\\S.*)$");

    public Transcript {
        utterances = List.copyOf(utterances);
    }

    /** Parses {@code text}; never fails (unrecognised lines become speaker-less content). */
    public static Transcript parse(String text) {
        String date = null;
        List<Utterance> out = new ArrayList<>();
        String time = null;
        String speaker = null;
        StringBuilder content = new StringBuilder();
        for (String line : (text == null ? "" : text).split("\\R")) {
            Matcher m;
            if (line.isBlank()) {
                continue;
            }
            if ((m = DATE_LINE.matcher(line)).matches()) {
                java.time.LocalDate d = TimeExpressions.parseDate(m.group(1));
                date = d == null ? m.group(1).strip() : d.toString();
            } else if ((m = BLOCK_HEADER.matcher(line)).matches() && hasName(m.group(2))) {
                add(out, time, speaker, content);
                time = m.group(1);
                speaker = m.group(2).strip();
                content.append(m.group(3).strip());
            } else if ((m = SPEAKER_LINE.matcher(line)).matches() && hasName(m.group(1))) {
                add(out, time, speaker, content);
                time = null;
                speaker = m.group(1);
                content.append(m.group(2).strip());
            } else if (speaker != null) {
                content.append(content.isEmpty() ? "" : "\n").append(line.strip());
            } else {
                add(out, time, null, content);
                content.append(line.strip());
                add(out, null, null, content);
            }
        }
        add(out, time, speaker, content);
        return new Transcript(date, out);
    }

    /** @return everything that was said, without headers, one utterance per line */
    public String contentText() {
        StringBuilder sb = new StringBuilder();
        for (Utterance u : utterances) {
            sb.append(u.content()).append('\n');
        }
        return sb.toString();
    }

    private static boolean hasName(String s) {
        return s.codePoints().anyMatch(Character::isLetter);
    }

    private static void add(List<Utterance> out, String time, String speaker, StringBuilder content) {
        if (!content.toString().isBlank()) {
            out.add(new Utterance(time, speaker, content.toString().strip()));
        }
        content.setLength(0);
    }
}
