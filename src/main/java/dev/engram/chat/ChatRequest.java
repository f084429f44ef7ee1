package dev.engram.chat;

import java.util.Objects;

import dev.engram.text.Unicode;

/**
 * One incoming user message, validated by the surface that received it.
 *
 * @param chatId     conversation id ({@code "default"} when the caller gave none)
 * @param userId     the sender's id, may be null
 * @param userName   the sender's display name, may be null
 * @param message    the text, with at least one visible character; every field is well-formed Unicode
 * @param externalId the caller's own id of the message (a OneBot {@code message_id}), may be null; intake is
 *                   idempotent by it within the chat
 */
public record ChatRequest(String chatId, String userId, String userName, String message, String externalId) {
    public ChatRequest {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(message, "message");
        if (!Unicode.hasVisibleText(message)) throw new IllegalArgumentException("message must not be blank or invisible");
        if (externalId != null && externalId.isBlank()) throw new IllegalArgumentException("externalId must not be blank");
        for (String id : new String[] {chatId, userId, userName, externalId, message}) {
            if (id != null && !Unicode.wellFormed(id)) throw new IllegalArgumentException("not valid Unicode: " + id);
        }
    }

    /** A message without an external id. */
    public ChatRequest(String chatId, String userId, String userName, String message) {
        this(chatId, userId, userName, message, null);
    }
}
