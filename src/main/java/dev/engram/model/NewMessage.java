package dev.engram.model;

import java.time.Instant;
import java.util.Objects;

/** A message to append to the log; the database assigns its id. */
public record NewMessage(String chatId, ChatMessage.Role role, String userId, String userName, String text,
                         Instant createdAt, String externalId) {
    public NewMessage {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        if (chatId.isBlank()) throw new IllegalArgumentException("chatId must not be blank");
        if (text.isBlank()) throw new IllegalArgumentException("text must not be blank");
    }

    public static NewMessage user(String chatId, String userId, String userName, String text, Instant at) {
        return new NewMessage(chatId, ChatMessage.Role.USER, userId, userName, text, at, null);
    }

    public static NewMessage assistant(String chatId, String text, Instant at) {
        return new NewMessage(chatId, ChatMessage.Role.ASSISTANT, null, null, text, at, null);
    }
}
