package dev.engram.memory.graph;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.engram.model.ChatMessage;

/**
 * Renders a snippet as the readable transcript the topic prompts receive (§2.3 step 3):
 * <pre>
 * 当前日期: 2026-03-01
 * 10:00:00, 小林 :
 * 我下周去杭州玩
 * 顺便看看西湖
 * 10:02:10, bot :
 * 好的
 * </pre>
 * Consecutive messages of one sender less than {@value #MERGE_SECONDS} s apart share a block. The date is
 * the snippet's own (the original wrote today's date, which mis-dates a sample from yesterday). Names
 * lose colons and line breaks so the header stays parseable. Pure; thread-safe.
 */
final class SnippetRenderer {
    static final int MERGE_SECONDS = 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private SnippetRenderer() {
    }

    static String render(List<ChatMessage> messages, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        if (messages.isEmpty()) return "";
        out.append("当前日期: ").append(messages.getFirst().createdAt().atZone(zone).toLocalDate()).append('\n');
        ChatMessage previous = null;
        for (ChatMessage m : messages) {
            boolean sameBlock = previous != null && sender(previous).equals(sender(m))
                    && Duration.between(previous.createdAt(), m.createdAt()).abs().getSeconds() < MERGE_SECONDS;
            if (!sameBlock) {
                ZonedDateTime at = m.createdAt().atZone(zone);
                out.append(TIME.format(at)).append(", ").append(name(m)).append(" :\n");
            }
            out.append(m.text().strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
            previous = m;
        }
        return out.toString();
    }

    private static String sender(ChatMessage m) {
        return m.role() + "/" + (m.userId() == null ? "" : m.userId()) + "/" + m.displayName();
    }

    private static String name(ChatMessage m) {
        String n = m.displayName().replaceAll("[:：\\r\\n]", " ").strip();
        return n.isEmpty() ? (m.role() == ChatMessage.Role.ASSISTANT ? "bot" : "user") : n;
    }
}
