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

import dev.engram.memory.Recall;
import dev.engram.memory.RecallStatus;

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
final class RecallCoordinator {
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * Enqueues a retrieval task whose result completes {@code result}; {@code false} if not taken (the
     * launcher then records the rejection).
     */
    @FunctionalInterface
    interface Launcher {
        boolean launch(MemoryTask.Retrieve task, CompletableFuture<Recall> result);
    }

    record Key(String chatId, String query, long generation) {
    }

    private final Cache<Key, Recall> cache;
    private final ConcurrentHashMap<Key, CompletableFuture<Recall>> flights = new ConcurrentHashMap<>();
    private final ChatGenerations generations = new ChatGenerations();
    private final Clock clock;
    private final DelayScheduler scheduler;
    private final Launcher launcher;

    RecallCoordinator(TaskEngineSettings settings, Ticker ticker, Clock clock, DelayScheduler scheduler,
                      Launcher launcher) {
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
    }

    CompletableFuture<Recall> retrieve(String chatId, String query, Set<Long> exclude, Instant deadline) {
        Instant now = clock.instant();
        if (!deadline.isAfter(now)) return CompletableFuture.completedFuture(Recall.empty(RecallStatus.TIMEOUT));
        Key key = new Key(chatId, normalise(query), generations.of(chatId));
        Recall hit = cache.getIfPresent(key);
        if (hit != null) return CompletableFuture.completedFuture(without(hit, exclude));
        CompletableFuture<Recall> flight = flights.get(key);
        if (flight == null) {
            CompletableFuture<Recall> mine = new CompletableFuture<>();
            flight = flights.putIfAbsent(key, mine);
            if (flight == null) {
                flight = mine;
                if (!launcher.launch(new MemoryTask.Retrieve(chatId, query, exclude, deadline), mine)) {
                    flights.remove(key, mine);
                    mine.complete(Recall.empty(RecallStatus.SKIPPED));
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

    private void landed(Key key, CompletableFuture<Recall> flight, Recall result) {
        flights.remove(key, flight);
        if (result != null && result.status() == RecallStatus.OK && generations.of(key.chatId()) == key.generation()) {
            cache.put(key, result);
        }
    }

    private CompletableFuture<Recall> withDeadline(CompletableFuture<Recall> flight, Set<Long> exclude, Duration left) {
        if (flight.isDone()) return flight.thenApply(r -> without(r, exclude));
        CompletableFuture<Recall> answer = new CompletableFuture<>();
        DelayScheduler.Cancellable timer = scheduler.schedule(left,
                () -> answer.complete(Recall.empty(RecallStatus.TIMEOUT)));
        flight.whenComplete((result, error) -> {
            timer.cancel();
            answer.complete(result == null ? Recall.empty(RecallStatus.TIMEOUT) : without(result, exclude));
        });
        return answer;
    }

    private static Recall without(Recall recall, Set<Long> exclude) {
        if (exclude.isEmpty() || recall.memories().isEmpty()) return recall;
        var kept = recall.memories().stream()
                .filter(m -> m.messageIds().isEmpty() || !exclude.containsAll(m.messageIds()))
                .toList();
        return kept.size() == recall.memories().size() ? recall : new Recall(kept, recall.status());
    }

    static String normalise(String query) {
        String folded = Normalizer.normalize(query, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return SPACES.matcher(folded).replaceAll(" ").strip();
    }
}
