package dev.engram.memory.recall;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.engram.model.Memory;
import dev.engram.text.TextSimilarity;

/**
 * The last good recall per (chat, normalised query), for the timeout fallback ("cached result" in the
 * fallback chain). Bounded (size and time, read from the injected clock), so it cannot grow like the
 * original's per-chat dicts (W3). Thread-safe (Caffeine).
 */
final class RecallCache {
    private record Key(String chatId, String query) {
    }

    private final Cache<Key, List<Memory>> cache;

    RecallCache(int maxSize, Duration ttl, Clock clock) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfterWrite(ttl)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    void put(String chatId, String query, List<Memory> memories) {
        cache.put(new Key(chatId, TextSimilarity.normalize(query)), List.copyOf(memories));
    }

    Optional<List<Memory>> get(String chatId, String query) {
        return Optional.ofNullable(cache.getIfPresent(new Key(chatId, TextSimilarity.normalize(query))));
    }

    /** Drops every cached recall of a chat (e.g. when its memory was deleted). */
    void invalidate(String chatId) {
        cache.asMap().keySet().removeIf(k -> k.chatId().equals(chatId));
    }
}
