package dev.engram.task;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

/**
 * Retrievals for replies: the policy order is {@code Deadline(Cache(SingleFlight(Lane(Timeout(handler)))))}.
 *
 * <ol>
 *   <li>Key: chat, normalised query (NFKC, lower case, collapsed spaces) and the chat's generation.</li>
 *   <li>Cache (Caffeine, TTL, max entries, ticker from the injected clock): a hit answers at once. Only
 *       complete ({@code OK}) results are cached, and only if the chat's memory did not change while they
 *       were computed; skipped, timed-out and failed results never are.</li>
 *   <li>Single flight: identical concurrent retrievals share one task.</li>
 *   <li>The task goes to the interactive lane; if it is full (or the engine stopping) the answer is an
 *       empty recall with status {@code SKIPPED}, at once.</li>
 *   <li>Each caller gets its own deadline: at the deadline its future completes with an empty
 *       {@code TIMEOUT} recall; futures never complete exceptionally. A task that fails (timeout or
 *       error) also answers an empty {@code TIMEOUT} recall: no source answered in time.</li>
 * </ol>
 * Each caller's {@code excludeMessages} is applied to the shared result, so a memory that came only from
 * an excluded message is dropped. Concurrency: thread-safe; the in-flight map holds only tasks that are
 * queued or running, so it is bounded by the interactive lane.
 */
final class RecallCoordinator<R> {
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * Enqueues a retrieval task whose result completes {@code result}; {@code false} if not taken (the
     * launcher then records the rejection).
     */
    @FunctionalInterface
    interface Launcher {
        boolean launch(MemoryTask.Retrieve task, CompletableFuture<Object> result);
    }

    record Key(String chatId, String query, long generation) {
    }

    private final Cache<Key, R> cache;
    private final ConcurrentHashMap<Key, CompletableFuture<R>> flights = new ConcurrentHashMap<>();
    private final ChatGenerations generations = new ChatGenerations();
    private final Clock clock;
    private final DelayScheduler scheduler;
    private final Launcher launcher;
    private final RetrievePolicy<R> policy;

    RecallCoordinator(TaskEngineSettings settings, Ticker ticker, Clock clock, DelayScheduler scheduler,
                      Launcher launcher, RetrievePolicy<R> policy) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheMaxEntries())
                .expireAfterWrite(settings.cacheTtl())
                .ticker(ticker)
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.clock = clock;
        this.scheduler = scheduler;
        this.launcher = launcher;
        this.policy = policy;
    }

    CompletableFuture<R> retrieve(String chatId, String query, Set<Long> exclude, Instant deadline) {
        Instant now = clock.instant();
        if (!deadline.isAfter(now)) return CompletableFuture.completedFuture(policy.timedOut());
        Key key = new Key(chatId, normalise(query), generations.of(chatId));
        R hit = cache.getIfPresent(key);
        if (hit != null) return CompletableFuture.completedFuture(without(hit, exclude));
        CompletableFuture<R> flight = flights.get(key);
        if (flight == null) {
            CompletableFuture<R> mine = new CompletableFuture<>();
            flight = flights.putIfAbsent(key, mine);
            if (flight == null) {
                flight = mine;
                @SuppressWarnings("unchecked") // the engine completes it with the handler's R or the policy's
                CompletableFuture<Object> untyped = (CompletableFuture<Object>) (CompletableFuture<?>) mine;
                if (!launcher.launch(new MemoryTask.Retrieve(chatId, query, exclude, deadline), untyped)) {
                    flights.remove(key, mine);
                    mine.complete(policy.skipped());
                    return mine;
                }
                mine.whenComplete((result, error) -> landed(key, mine, result));
            }
        }
        return withDeadline(flight, exclude, Duration.between(now, deadline));
    }

    /** The chat's memory changed: its cached and in-flight results are no longer served. */
    void invalidateChat(String chatId) {
        generations.bump(chatId);
    }

    /** Memory of every chat changed (a build, forget or consolidation). */
    void invalidateAll() {
        generations.bumpAll();
        cache.invalidateAll();
    }

    long entries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    CacheStats stats() {
        return cache.stats();
    }

    /** Hits / lookups; 0 before the first lookup. */
    double hitRate() {
        CacheStats stats = cache.stats();
        long lookups = stats.requestCount();
        return lookups == 0 ? 0 : (double) stats.hitCount() / lookups;
    }

    int inFlight() {
        return flights.size();
    }

    private void landed(Key key, CompletableFuture<R> flight, R result) {
        flights.remove(key, flight);
        if (result != null && policy.cacheable(result) && generations.of(key.chatId()) == key.generation()) {
            cache.put(key, result);
        }
    }

    private CompletableFuture<R> withDeadline(CompletableFuture<R> flight, Set<Long> exclude, Duration left) {
        if (flight.isDone()) return flight.thenApply(r -> without(r, exclude));
        CompletableFuture<R> answer = new CompletableFuture<>();
        DelayScheduler.Cancellable timer = scheduler.schedule(left,
                () -> answer.complete(policy.timedOut()));
        flight.whenComplete((result, error) -> {
            timer.cancel();
            answer.complete(result == null ? policy.timedOut() : without(result, exclude));
        });
        return answer;
    }

    private R without(R result, Set<Long> exclude) {
        return exclude.isEmpty() ? result : policy.forCaller(result, exclude);
    }

    static String normalise(String query) {
        String folded = Normalizer.normalize(query, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return SPACES.matcher(folded).replaceAll(" ").strip();
    }
}
