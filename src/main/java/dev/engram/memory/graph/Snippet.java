package dev.engram.memory.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.engram.model.ChatMessage;

/**
 * A piece of one chat's history that a build turns into memories. Immutable.
 *
 * @param chatId   the chat every message belongs to
 * @param messages the messages, oldest first, not empty
 */
record Snippet(String chatId, List<ChatMessage> messages) {
    Snippet {
        Objects.requireNonNull(chatId, "chatId");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) throw new IllegalArgumentException("a snippet needs messages");
        for (ChatMessage m : messages) {
            if (!m.chatId().equals(chatId)) throw new IllegalArgumentException("message " + m.id() + " is of another chat");
        }
    }

    List<Long> ids() {
        return messages.stream().map(ChatMessage::id).toList();
    }

    Instant first() {
        return messages.getFirst().createdAt();
    }
}
