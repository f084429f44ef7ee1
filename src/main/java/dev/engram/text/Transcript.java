package dev.engram.text;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engram.model.ChatMessage;

/**
 * The one transcript format of the memory prompts' {@code text} variable, written by {@link #render}
 * and read back by {@link #parse} (the offline provider receives only the rendered prompt, as a real
 * model does):
 * <pre>
 * 当前日期: 2026-03-01
 * 10:00:00, 小林 :
 * 我下周去杭州玩
 * 顺便看看西湖
 * 2026-02-28 23:59:10, bot :
 * 好的
 * </pre>
 * The date line is the newest message's day; a block header carries its own date when its day differs.
 * Consecutive messages of one sender less than {@value #MERGE_SECONDS} s apart share a block; names lose
 * colons and line breaks so headers stay parseable; a message's line breaks become spaces. The parser
 * also reads {@code name：content} lines; any other line is content without a speaker. Immutable.
 *
 * @param date       the date of the {@code 当前日期} line ({@code YYYY-MM-DD}), or {@code null}
 * @param utterances what was said, in order
 */
public record Transcript(String date, List<Utterance> utterances) {
    /** Messages of one sender closer than this share a block. */
    public static final int MERGE_SECONDS = 60;

    /**
     * @param date    {@code YYYY-MM-DD} of the block (its header's date, else the date line's), or {@code null}
     * @param time    {@code HH:MM[:SS]} from a block header, or {@code null}
     * @param speaker who said it, or {@code null}
     * @param content what was said (may span lines)
     */
    public record Utterance(String date, String time, String speaker, String content) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final Pattern DATE_LINE = Pattern.compile("^\\s*当前日期\\s*[:：]\\s*(.+)$");
    private static final Pattern BLOCK_HEADER = Pattern.compile("^\\s*\\[?(?:(\\d{4}-\\d{2}-\\d{2})\\s+)?"
            + "(\\d{1,2}:\\d{2}(?::\\d{2})?)]?\\s*[,，]?\\s*([^:：\\n]{1,40}?)\\s*[:：]\\s*(.*)$");
    private static final Pattern SPEAKER_LINE = Pattern.compile(
            "^\\s*([^\\s:：,，。!！?？\\[\\]]{1,16})\\s*[:：]\\s*(?!//)(\\S.*)$");

    public Transcript {
        utterances = List.copyOf(utterances);
    }

    /** Renders messages (oldest first) in this format, times in {@code zone}; empty for no messages. */
    public static String render(List<ChatMessage> messages, ZoneId zone) {
        if (messages.isEmpty()) return "";
        LocalDate today = messages.getLast().createdAt().atZone(zone).toLocalDate();
        StringBuilder out = new StringBuilder("当前日期: ").append(today).append('\n');
        ChatMessage previous = null;
        for (ChatMessage m : messages) {
            boolean sameBlock = previous != null && sender(previous).equals(sender(m))
                    && Duration.between(previous.createdAt(), m.createdAt()).abs().getSeconds() < MERGE_SECONDS;
            if (!sameBlock) {
                ZonedDateTime at = m.createdAt().atZone(zone);
                if (!at.toLocalDate().equals(today)) out.append(at.toLocalDate()).append(' ');
                out.append(TIME.format(at)).append(", ").append(name(m)).append(" :\n");
            }
            out.append(m.text().strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
            previous = m;
        }
        return out.toString();
    }

    /** Parses {@code text}; never fails (unrecognised lines become speaker-less content). */
    public static Transcript parse(String text) {
        String date = null;
        List<Utterance> out = new ArrayList<>();
        Header block = new Header(null, null, null);
        StringBuilder content = new StringBuilder();
        for (String line : (text == null ? "" : text).split("\\R")) {
            Matcher m;
            if (line.isBlank()) continue;
            if ((m = DATE_LINE.matcher(line)).matches()) {
                LocalDate d = TimeExpressions.parseDate(m.group(1));
                date = d == null ? m.group(1).strip() : d.toString();
            } else if ((m = BLOCK_HEADER.matcher(line)).matches() && hasName(m.group(3))) {
                add(out, block, content);
                block = new Header(m.group(1) != null ? m.group(1) : date, m.group(2), m.group(3).strip());
                content.append(m.group(4).strip());
            } else if ((m = SPEAKER_LINE.matcher(line)).matches() && hasName(m.group(1))) {
                add(out, block, content);
                block = new Header(date, null, m.group(1));
                content.append(m.group(2).strip());
            } else if (block.speaker() != null) {
                content.append(content.isEmpty() ? "" : "\n").append(line.strip());
            } else {
                add(out, block, content);
                content.append(line.strip());
                add(out, new Header(date, null, null), content);
            }
        }
        add(out, block, content);
        return new Transcript(date, out);
    }

    /** @return everything that was said, without headers, one utterance per line */
    public String contentText() {
        StringBuilder sb = new StringBuilder();
        for (Utterance u : utterances) sb.append(u.content()).append('\n');
        return sb.toString();
    }

    private static String sender(ChatMessage m) {
        return m.role() + "/" + (m.userId() == null ? "" : m.userId()) + "/" + m.displayName();
    }

    private static String name(ChatMessage m) {
        String n = m.displayName().replaceAll("[:：\\r\\n]", " ").strip();
        return n.isEmpty() ? (m.role() == ChatMessage.Role.ASSISTANT ? "bot" : "user") : n;
    }

    private static boolean hasName(String s) {
        return s.codePoints().anyMatch(Character::isLetter);
    }

    /** The date, time and speaker of the block being read. */
    private record Header(String date, String time, String speaker) {
    }

    private static void add(List<Utterance> out, Header h, StringBuilder content) {
        if (!content.toString().isBlank()) {
            out.add(new Utterance(h.date(), h.time(), h.speaker(), content.toString().strip()));
        }
        content.setLength(0);
    }
}
