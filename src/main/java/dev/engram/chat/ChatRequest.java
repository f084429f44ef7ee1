package dev.engram.chat;

import java.util.Objects;

/**
 * One incoming user message, validated by the HTTP layer.
 *
 * @param chatId   conversation id ({@code "default"} when the caller gave none)
 * @param userId   the sender's id, may be null
 * @param userName the sender's display name, may be null
 * @param message  the text, never blank
 */
public record ChatRequest(String chatId, String userId, String userName, String message) {
    public ChatRequest {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(message, "message");
        if (message.isBlank()) throw new IllegalArgumentException("message must not be blank");
    }
}
