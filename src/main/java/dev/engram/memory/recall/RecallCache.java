package dev.engram.memory.recall;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import dev.engram.memory.Candidate;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.task.EngineStatus;
import dev.engram.task.MemoryTask;
import dev.engram.task.RetrieveCache;
import dev.engram.text.TextSimilarity;

/**
 * The one recall cache of an instance. It holds three kinds of entries, all keyed by the chat's
 * <em>version</em>, so {@link #invalidate(String)} (a store, forget, consolidation, delete or build of the chat)
 * or {@link #invalidateAll()} makes every one of them unreachable at once, without a scan:
 * <ul>
 *   <li><b>reply</b>: complete ({@code OK}) recalls per (chat, normalised query, limit), served at once by the
 *       task engine before it runs a retrieval ({@link RetrieveCache}); a result computed while the chat changed
 *       is dropped;</li>
 *   <li><b>fallback</b>: the last good memories per (chat, normalised query), for a recall whose sources all
 *       missed the deadline;</li>
 *   <li><b>prefetch</b>: the memories the LLM prepared for a chat's next turn (keeping them is itself a
 *       change of the chat).</li>
 * </ul>
 * Bounded in size and time (read from the injected clock). Versions are kept per chat on a fixed number of
 * stripes (bounded memory whatever the number of chats): a collision only invalidates another chat too.
 * Thread-safe (Caffeine, lock-free versions).
 */
public final class RecallCache implements RetrieveCache<Recall> {
    private static final int STRIPES = 4096;

    /**
     * @param replyTtl        how long a complete recall is served (the seed's 300 s)
     * @param replyMaxEntries complete recalls kept at most (0 = none are served)
     * @param fallbackSize    (chat, query) results kept for the timeout fallback
     * @param fallbackTtl     how long such a result may be used
     * @param prefetchChats   chats whose prefetched memories are kept
     * @param prefetchTtl     how long prefetched memories may be used
     */
    public record Settings(Duration replyTtl, int replyMaxEntries, int fallbackSize, Duration fallbackTtl,
                           int prefetchChats, Duration prefetchTtl) {
        public Settings {
            positive(replyTtl, "replyTtl");
            positive(fallbackTtl, "fallbackTtl");
            positive(prefetchTtl, "prefetchTtl");
            if (replyMaxEntries < 0 || fallbackSize < 0 || prefetchChats < 0) {
                throw new IllegalArgumentException("cache sizes must be >= 0");
            }
        }

        /**
         * The reply cache as configured ({@code [tasks] cache_ttl_s, cache_max_entries}) with recall's own
         * constants for the rest: fallbacks for 10,000 (chat, query) pairs for 10 minutes, prefetched
         * memories of 10,000 chats for 30 minutes.
         */
        public static Settings of(Duration replyTtl, int replyMaxEntries) {
            return new Settings(replyTtl, replyMaxEntries, 10_000, Duration.ofMinutes(10), 10_000,
                    Duration.ofMinutes(30));
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
        }
    }

    private record QueryKey(String chatId, String query, int limit, long version) {
    }

    private record Prepared(long version, List<Candidate> memories) {
    }

    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private final AtomicLong global = new AtomicLong();
    private final Cache<QueryKey, Recall> reply;
    private final Cache<QueryKey, List<Memory>> fallback;
    private final Cache<String, Prepared> prefetched;

    public RecallCache(Settings settings, Clock clock) {
        Ticker ticker = () -> {
            var now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.reply = Caffeine.newBuilder().maximumSize(settings.replyMaxEntries()).expireAfterWrite(settings.replyTtl())
                .ticker(ticker).executor(Runnable::run).recordStats().build();
        this.fallback = Caffeine.newBuilder().maximumSize(settings.fallbackSize()).expireAfterWrite(settings.fallbackTtl())
                .ticker(ticker).executor(Runnable::run).build();
        this.prefetched = Caffeine.newBuilder().maximumSize(settings.prefetchChats())
                .expireAfterWrite(settings.prefetchTtl()).ticker(ticker).executor(Runnable::run).build();
    }

    /** The chat's memory changed: none of its cached recalls, fallbacks or prefetched memories is served again. */
    public void invalidate(String chatId) {
        stripes.incrementAndGet(stripe(chatId));
    }

    /**
     * The chat was forgotten (wholly or in part): like {@link #invalidate}, and its entries are also dropped from
     * memory at once rather than left to expire unserved. Returns how many entries went.
     */
    public int purge(String chatId) {
        invalidate(chatId);
        int before = (int) (reply.estimatedSize() + fallback.estimatedSize() + prefetched.estimatedSize());
        reply.asMap().keySet().removeIf(k -> k.chatId().equals(chatId));
        fallback.asMap().keySet().removeIf(k -> k.chatId().equals(chatId));
        prefetched.invalidate(chatId);
        return Math.max(0, before - (int) (reply.estimatedSize() + fallback.estimatedSize() + prefetched.estimatedSize()));
    }

    /** Memory of every chat changed (a build, forget or consolidation). */
    public void invalidateAll() {
        global.incrementAndGet();
        reply.invalidateAll();
        fallback.invalidateAll();
        prefetched.invalidateAll();
    }

    @Override
    public long version(String chatId) {
        return stripes.get(stripe(chatId)) + global.get();
    }

    @Override
    public Recall get(MemoryTask.Retrieve task) {
        return reply.getIfPresent(key(task.chatId(), task.query(), task.limit(), version(task.chatId())));
    }

    /** Only complete recalls are kept: partial, timed-out and skipped ones would hide a source. */
    @Override
    public void put(MemoryTask.Retrieve task, long version, Recall result) {
        if (result.status() != RecallStatus.OK || version != version(task.chatId())) return;
        reply.put(key(task.chatId(), task.query(), task.limit(), version), result);
    }

    @Override
    public EngineStatus.CacheStatus status() {
        reply.cleanUp();
        CacheStats s = reply.stats();
        long lookups = s.requestCount();
        return new EngineStatus.CacheStatus(reply.estimatedSize(), s.hitCount(), s.missCount(), s.evictionCount(),
                lookups == 0 ? 0 : (double) s.hitCount() / lookups);
    }

    /** Keeps good memories of a recall started at {@code version}, for its timeout fallback. */
    void keepFallback(String chatId, String query, long version, List<Memory> memories) {
        if (version != version(chatId)) return;
        fallback.put(key(chatId, query, 0, version), List.copyOf(memories));
    }

    /** The last good memories for this chat and query at the chat's current version, or none. */
    List<Memory> fallback(String chatId, String query) {
        List<Memory> kept = fallback.getIfPresent(key(chatId, query, 0, version(chatId)));
        return kept == null ? List.of() : kept;
    }

    /**
     * Keeps memories prepared for the chat's next turn by work started at {@code version} (dropped if the chat
     * changed since). They change what a recall of the chat answers, so the chat's other entries go stale.
     */
    void keepPrefetched(String chatId, long version, List<Candidate> memories) {
        if (version != version(chatId)) return;
        invalidate(chatId);
        prefetched.put(chatId, new Prepared(version(chatId), List.copyOf(memories)));
    }

    /** The memories prepared for the chat's next turn at its current version, or none. */
    List<Candidate> prefetched(String chatId) {
        Prepared kept = prefetched.getIfPresent(chatId);
        return kept == null || kept.version() != version(chatId) ? List.of() : kept.memories();
    }

    private static QueryKey key(String chatId, String query, int limit, long version) {
        return new QueryKey(chatId, TextSimilarity.normalize(query), limit, version);
    }

    private static int stripe(String chatId) {
        int h = chatId.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
