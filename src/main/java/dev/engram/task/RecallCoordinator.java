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

/**
 * Retrievals for replies: the policy order is {@code Deadline(Cache(SingleFlight(Lane(Timeout(handler)))))}.
 *
 * <ol>
 *   <li>Cache: the owner's {@link RetrieveCache}; a hit answers at once. A finished result is offered to it
 *       with the chat's version at the start, so a result computed while the chat changed is never served.</li>
 *   <li>Single flight: identical concurrent retrievals (chat, normalised query — NFKC, lower case, collapsed
 *       spaces —, limit and the chat's version) share one task.</li>
 *   <li>The task goes to the interactive lane; if it is full (or the engine stopping) the answer is the
 *       policy's skipped result, at once.</li>
 *   <li>Each caller gets its own deadline: at the deadline its future completes with the policy's timed-out
 *       result; futures never complete exceptionally. A task that fails (timeout or error) also answers the
 *       timed-out result: no source answered in time.</li>
 * </ol>
 * Each caller's {@code excludeMessages} is applied to the shared result ({@link RetrievePolicy#forCaller}).
 * Concurrency: thread-safe; the in-flight map holds only tasks that are queued or running, so it is bounded
 * by the interactive lane.
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

    record Key(String chatId, String query, int limit, long version) {
    }

    private final ConcurrentHashMap<Key, CompletableFuture<R>> flights = new ConcurrentHashMap<>();
    private final RetrieveCache<R> cache;
    private final Clock clock;
    private final DelayScheduler scheduler;
    private final Launcher launcher;
    private final RetrievePolicy<R> policy;

    RecallCoordinator(RetrieveCache<R> cache, Clock clock, DelayScheduler scheduler, Launcher launcher,
                      RetrievePolicy<R> policy) {
        this.cache = cache;
        this.clock = clock;
        this.scheduler = scheduler;
        this.launcher = launcher;
        this.policy = policy;
    }

    CompletableFuture<R> retrieve(MemoryTask.Retrieve task) {
        Instant now = clock.instant();
        if (!task.deadline().isAfter(now)) return CompletableFuture.completedFuture(policy.timedOut());
        Set<Long> exclude = task.excludeMessages();
        long version = cache.version(task.chatId());
        R hit = cache.get(task);
        if (hit != null) return CompletableFuture.completedFuture(without(hit, exclude));
        Key key = new Key(task.chatId(), normalise(task.query()), task.limit(), version);
        CompletableFuture<R> flight = flights.get(key);
        if (flight == null) {
            CompletableFuture<R> mine = new CompletableFuture<>();
            flight = flights.putIfAbsent(key, mine);
            if (flight == null) {
                flight = mine;
                @SuppressWarnings("unchecked") // the engine completes it with the handler's R or the policy's
                CompletableFuture<Object> untyped = (CompletableFuture<Object>) (CompletableFuture<?>) mine;
                if (!launcher.launch(task, untyped)) {
                    flights.remove(key, mine);
                    mine.complete(policy.skipped());
                    return mine;
                }
                mine.whenComplete((result, error) -> landed(key, task, mine, result));
            }
        }
        return withDeadline(flight, exclude, Duration.between(now, task.deadline()));
    }

    EngineStatus.CacheStatus cacheStatus() {
        return cache.status();
    }

    int inFlight() {
        return flights.size();
    }

    private void landed(Key key, MemoryTask.Retrieve task, CompletableFuture<R> flight, R result) {
        flights.remove(key, flight);
        if (result != null) cache.put(task, key.version(), result);
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
