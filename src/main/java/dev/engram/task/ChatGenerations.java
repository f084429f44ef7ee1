package dev.engram.task;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A version number per chat that changes whenever the chat's memory changes; part of every retrieval
 * cache key, so bumping it invalidates the chat's cached results and in-flight retrievals at once without
 * scanning the cache. Chats are hashed onto a fixed number of stripes (bounded memory whatever the number
 * of chats); a collision only invalidates another chat's entries too. Thread-safe (lock-free).
 */
final class ChatGenerations {
    private static final int STRIPES = 4096;
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private final AtomicLong global = new AtomicLong();

    long of(String chatId) {
        return stripes.get(stripe(chatId)) + global.get();
    }

    void bump(String chatId) {
        stripes.incrementAndGet(stripe(chatId));
    }

    void bumpAll() {
        global.incrementAndGet();
    }

    private static int stripe(String chatId) {
        int h = chatId.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
