package dev.engram.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.engram.model.StoredMemory;

/**
 * Instant memories (table {@code memories}) and their search terms. Implementations are
 * thread-safe; every method is one statement or one transaction, and a repository obtained inside
 * {@link Storage#inTransaction} joins that transaction. Lists of memories of one chat are never
 * mixed with another chat's.
 */
public interface MemoryRepository {
    /**
     * Stores a memory with its search terms. Idempotent per {@code (chatId, sourceKey)}: when a
     * memory with the same non-null source key exists in the chat, nothing is written and that
     * memory is returned.
     */
    default StoredMemory insert(NewMemory memory) {
        return insert(memory, List.of());
    }

    /**
     * Stores a memory that supersedes older facts of its chat, in one transaction: each of
     * {@code supersedes} that is still current keeps its text and gets {@code valid_to} = the new memory's
     * {@code createdAt} and {@code superseded_by} = its id (ids of other chats, unknown or already superseded
     * ones are left alone). The result lists the ids actually superseded. Idempotent per source key like
     * {@link #insert(NewMemory)}: a replay returns the memory first written and supersedes nothing more.
     */
    StoredMemory insert(NewMemory memory, Collection<Long> supersedes);

    Optional<StoredMemory> find(long id);

    /** The memories with these ids, in id order; unknown ids are skipped. */
    List<StoredMemory> findAll(Collection<Long> ids);

    /**
     * The memories written from any of these messages, in id order, without {@link StoredMemory#supersedes}: those
     * whose provenance names one of them and whose {@code createdAt} is that message's (a memory's time is its newest
     * source message's), so a memory is found from its newest source message. One indexed query (by message id, then
     * chat and time); unknown ids are skipped.
     */
    List<StoredMemory> writtenFrom(Collection<Long> messageIds);

    /**
     * Memories of a chat with {@code from <= createdAt < to}, newest first, at most {@code limit}; current
     * and superseded alike (see {@link StoredMemory#current}). Every read fills {@link StoredMemory#supersedes}.
     */
    List<StoredMemory> byChat(String chatId, Instant from, Instant to, int limit);

    /** Memories of any chat with an id greater than {@code afterId}, in id order, at most {@code limit} (index rebuilds). */
    List<StoredMemory> after(long afterId, int limit);

    /** A memory of the chat whose normalised text has this hash (the de-dup lookup). */
    Optional<StoredMemory> findByHash(String chatId, String contentHash);

    /** The memory the store task identified by {@code sourceKey} wrote in this chat, if any. */
    Optional<StoredMemory> findBySource(String chatId, String sourceKey);

    /**
     * Memories of a chat created in {@code [from, to)} sharing at least one of {@code terms}. Only the
     * newest {@code perTermLimit} postings of each term are read, so the cost is bounded however common a
     * term is (an older memory is still found through a rarer term it contains). Result: the memories
     * matching the most distinct terms first (ties: newest first), at most {@code limit}, each with its
     * stored terms. Terms are compared exactly; callers normalise them as they did when storing.
     */
    List<TermMatch> matchTerms(String chatId, Collection<String> terms, Instant from, Instant to, int perTermLimit,
                               int limit);

    /** The stored search terms of these memories (absent ids are left out). */
    Map<Long, Set<String>> termsOf(Collection<Long> memoryIds);

    long count();

    long countByChat(String chatId);

    /**
     * A page of a chat's memories, current and superseded, newest (highest id) first: those with an id below
     * {@code beforeId} ({@code null}: from the newest), at most {@code limit}. Every row fills
     * {@link StoredMemory#supersedes}.
     */
    List<StoredMemory> page(String chatId, Long beforeId, int limit);

    /**
     * Deletes memories with their search terms. A fact they had superseded becomes current again (its
     * {@code valid_to} and successor link are cleared) unless it is deleted too. Returns how many rows went.
     */
    int delete(Collection<Long> ids);

    /**
     * Pins or unpins a memory (a pinned one is kept in recall by maintenance); returns whether it exists. Editing a
     * pinned memory pins its new version ({@link #insert} does not; callers pin it).
     */
    boolean setPinned(long id, boolean pinned);

    /** Which of these memories are pinned. */
    Set<Long> pinnedAmong(Collection<Long> ids);

    /** Current pinned memories of every chat, in id order, at most {@code limit}. */
    List<StoredMemory> pinned(int limit);

    /**
     * A memory to store; the database assigns its id.
     *
     * @param contentHash hash of the normalised text, for de-duplication
     * @param sourceKey   identity of the writing task (e.g. its message ids), or {@code null}
     * @param terms       normalised search terms (keywords and text tokens)
     */
    record NewMemory(String chatId, String text, List<String> keywords, List<Long> messageIds, Instant createdAt,
                     String contentHash, String sourceKey, Set<String> terms) {
        public NewMemory {
            Objects.requireNonNull(chatId, "chatId");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(contentHash, "contentHash");
            if (chatId.isBlank()) throw new IllegalArgumentException("chatId must not be blank");
            if (text.isBlank()) throw new IllegalArgumentException("text must not be blank");
            keywords = List.copyOf(keywords);
            messageIds = List.copyOf(messageIds);
            terms = Set.copyOf(terms);
        }
    }

    /** A memory, how many distinct query terms it matched, and all its stored terms. */
    record TermMatch(StoredMemory memory, int matchedTerms, Set<String> terms) {
        public TermMatch {
            Objects.requireNonNull(memory, "memory");
            terms = Set.copyOf(terms);
        }
    }
}
