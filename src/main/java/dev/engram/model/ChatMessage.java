package dev.engram.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored message of the log.
 *
 * @param id             database id, unique across chats, increasing in insertion order
 * @param chatId         the conversation it belongs to
 * @param role           who said it
 * @param userId         the sender's id as given by the bot, may be null
 * @param userName       the sender's display name, may be null
 * @param text           the message text, never blank
 * @param createdAt      when it was said
 * @param memorizedTimes how often the graph builder has sampled it
 * @param externalId     the caller's own id for the message (e.g. a LoCoMo {@code dia_id}), may be null
 */
public record ChatMessage(long id, String chatId, Role role, String userId, String userName, String text,
                          Instant createdAt, int memorizedTimes, String externalId) {
    public ChatMessage {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Who wrote a message. */
    public enum Role { USER, ASSISTANT }

    /** The name to show for the sender: user name, else user id, else the role. */
    public String displayName() {
        if (userName != null && !userName.isBlank()) return userName;
        if (userId != null && !userId.isBlank()) return userId;
        return role == Role.ASSISTANT ? "bot" : "user";
    }
}
