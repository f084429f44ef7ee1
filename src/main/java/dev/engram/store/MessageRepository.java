package dev.engram.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;

/**
 * The message log. Implementations are thread-safe; every method is one statement or one
 * transaction, and a method called on a {@link Storage} obtained inside
 * {@link Storage#inTransaction} joins that transaction.
 */
public interface MessageRepository {
    /**
     * Appends a message and returns it with its id. A message whose {@link NewMessage#externalId()} is already
     * stored in its chat violates the log's uniqueness rule: use {@link #findByExternalId} first.
     */
    ChatMessage append(NewMessage message);

    /**
     * Appends a message unless one with the same chat and external id is stored, in which case that one is
     * returned as a duplicate. Race-free when called inside {@link Storage#inTransaction} (writers serialise).
     */
    default Intake appendOnce(NewMessage message) {
        if (message.externalId() != null) {
            Optional<ChatMessage> existing = findByExternalId(message.chatId(), message.externalId());
            if (existing.isPresent()) return Intake.duplicate(existing.get());
        }
        return Intake.created(append(message));
    }

    /** The message of a chat with the given external id, if stored. */
    Optional<ChatMessage> findByExternalId(String chatId, String externalId);

    Optional<ChatMessage> find(long id);

    List<ChatMessage> findAll(Collection<Long> ids);

    /** Like {@link #findAll}, without the messages marked forgotten (what may still be memorised). */
    List<ChatMessage> findRemembered(Collection<Long> ids);

    /** The newest {@code limit} messages of a chat, oldest first. */
    List<ChatMessage> recent(String chatId, int limit);

    /**
     * Messages of a chat with {@code from <= createdAt < to}, oldest first, at most {@code limit}; forgotten ones
     * ({@link #markForgotten}) are left out, here and in {@link #betweenAnyChat} and {@link #after}.
     */
    List<ChatMessage> between(String chatId, Instant from, Instant to, int limit);

    /** Messages of any chat with {@code from <= createdAt < to}, oldest first, at most {@code limit}. */
    List<ChatMessage> betweenAnyChat(Instant from, Instant to, int limit);

    /** Messages with an id greater than {@code afterId}, in id order, at most {@code limit} (for index rebuilds). */
    List<ChatMessage> after(long afterId, int limit);

    /** Adds one to {@code memorized_times} of every given message, in one statement. */
    void incrementMemorized(Collection<Long> ids);

    long count();

    long countChats();

    /** The chats, newest activity first, at most {@code limit}. */
    List<ChatSummary> chats(int limit);

    /** Ids of the messages a user sent in a chat ({@code chatId == null}: in every chat), in id order. */
    List<Long> idsOf(String chatId, String userId);

    /** Ids of every message of a chat, in id order. */
    List<Long> idsOfChat(String chatId);

    /** The chats a user wrote in. */
    List<String> chatsOf(String userId);

    /**
     * Marks messages forgotten (their speaker or chat was forgotten with {@code forget_keeps_messages}): the rows
     * stay, but the window, sampling and rebuild reads leave them out and a store skips them. Returns how many rows
     * exist.
     */
    int markForgotten(Collection<Long> ids);

    /** Which of these messages are marked forgotten. */
    Set<Long> forgottenAmong(Collection<Long> ids);

    /** Deletes messages; returns how many rows went. */
    int delete(Collection<Long> ids);

    /** One chat of the log: its message count and newest message time. */
    record ChatSummary(String chatId, long messages, Instant lastMessageAt) {
    }
}
