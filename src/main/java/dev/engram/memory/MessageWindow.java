package dev.engram.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

import dev.engram.model.ChatMessage;
import dev.engram.store.MessageRepository;

/**
 * Loads the window the instant-memory step judges: the task's messages plus the messages of the chat
 * just before the newest of them (at most {@code size} in all, none older than {@code span} before
 * it). The window depends only on the stored log up to the task's newest message, so a replayed task
 * sees the same window even when newer messages arrived meanwhile. Thread-safe (stateless).
 */
final class MessageWindow {
    /** Extra rows read beyond the window, so a few newer messages do not force the slower query. */
    private static final int SLACK = 20;
    private static final int MAX_SCAN = 1_000;

    private MessageWindow() {
    }

    static List<ChatMessage> load(MessageRepository messages, List<ChatMessage> taskMessages, int size, Duration span) {
        ChatMessage newest = taskMessages.stream().max(Comparator.comparingLong(ChatMessage::id)).orElseThrow();
        Instant oldestAllowed = newest.createdAt().minus(span);
        List<ChatMessage> recent = messages.recent(newest.chatId(), size + SLACK);
        if (recent.stream().noneMatch(m -> m.id() == newest.id())) {
            // many messages arrived after this one: read its own neighbourhood instead
            recent = messages.between(newest.chatId(), oldestAllowed, newest.createdAt().plusMillis(1), MAX_SCAN);
        }
        TreeMap<Long, ChatMessage> window = new TreeMap<>();
        for (ChatMessage m : recent) {
            if (m.id() <= newest.id() && !m.createdAt().isBefore(oldestAllowed)) window.put(m.id(), m);
        }
        while (window.size() > size) window.pollFirstEntry();
        taskMessages.forEach(m -> window.put(m.id(), m)); // the task's own messages are always judged
        return List.copyOf(window.values());
    }
}
