package dev.engram.memory.instant;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.engram.model.ChatMessage;

/**
 * Renders a window of messages as the memory prompts' {@code text} variable: a
 * {@code 当前日期: YYYY-MM-DD} line (the newest message's day) then one {@code HH:MM, name: text}
 * line per message, earlier days marked with their date, so the model always sees absolute dates.
 * Pure; thread-safe.
 */
final class WindowTranscript {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private WindowTranscript() {
    }

    static String render(List<ChatMessage> window, ZoneId zone) {
        LocalDate today = window.getLast().createdAt().atZone(zone).toLocalDate();
        StringBuilder sb = new StringBuilder("当前日期: ").append(today).append('\n');
        for (ChatMessage m : window) {
            ZonedDateTime at = m.createdAt().atZone(zone);
            sb.append(TIME.format(at)).append(", ").append(m.displayName()).append(": ");
            if (!at.toLocalDate().equals(today)) sb.append('(').append(at.toLocalDate()).append(") ");
            sb.append(m.text().strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
