package dev.engram.memory.recall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmOutputs;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.memory.Candidate;
import dev.engram.memory.instant.InstantSource;
import dev.engram.text.TextAnalysis;
import dev.engram.text.TimeExpressions;

/**
 * LLM-assisted recall, source {@value #NAME}: the model reads the chat ({@code MEMORY_QUERY}) and names
 * keywords and a time; the instant memory is looked up with them. Two ways to use it
 * (see {@link LlmRecallMode}):
 * <ul>
 *   <li>{@link #prefetch}: run by the task engine as a low-priority task after each stored message; the result
 *       is kept in the {@link RecallCache} (dropped if the chat changed meanwhile) and {@link #prefetched} hands
 *       it to the chat's next recall at no cost;</li>
 *   <li>{@link #curate}: asynchronous, for {@code inline} mode; the caller waits until its deadline at most.</li>
 * </ul>
 * Concurrency: thread-safe. The per-chat results live in the instance's one {@link RecallCache}, so they are
 * invalidated with the chat's other cached recalls; the lookup after the model's answer runs on the given
 * executor, never on the HTTP client's threads. LLM failures propagate (prefetch) or fail the future
 * (curate); nothing is retried here.
 */
public final class LlmRecall {
    /** The source name reported on memories. */
    public static final String NAME = "llm";
    private static final Logger log = LoggerFactory.getLogger(LlmRecall.class);
    private static final DateTimeFormatter NOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Duration LOOKUP_BUDGET = Duration.ofSeconds(1);

    private final LlmClient llm;
    private final Prompts prompts;
    private final InstantSource instant;
    private final Executor executor;
    private final Clock clock;
    private final Settings settings;
    private final RecallCache cache;

    /** @param k memories looked up per answer (default 8); the cache's bounds are {@link RecallCache.Settings} */
    public record Settings(int k) {
        public Settings {
            if (k < 1) throw new IllegalArgumentException("k must be >= 1, was " + k);
        }

        public static Settings defaults() {
            return new Settings(8);
        }
    }

    /** @param cache where prefetched memories are kept (the instance's one recall cache) */
    public LlmRecall(LlmClient llm, Prompts prompts, InstantSource instant, Executor executor, Clock clock,
                     Settings settings, RecallCache cache) {
        this.llm = Objects.requireNonNull(llm, "llm");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        this.instant = Objects.requireNonNull(instant, "instant");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /**
     * Prepares the chat's next turn: asks the model about {@code recentText} (the recent chat, newest last),
     * looks the memories up and keeps them for {@link #prefetched} unless the chat changed meanwhile. Blocks;
     * meant for a task-engine worker.
     *
     * @return the memories kept
     * @throws RuntimeException the model's classified failure ({@link dev.engram.llm.LlmException}), for the engine's retry
     */
    public List<Candidate> prefetch(String chatId, String recentText) throws InterruptedException {
        long version = cache.version(chatId);
        try {
            List<Candidate> memories = curate(chatId, recentText).get();
            cache.keepPrefetched(chatId, version, memories);
            return memories;
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException("llm recall failed", cause);
        }
    }

    /**
     * Asks the model about {@code text} and looks the memories up, asynchronously.
     *
     * @return a future of the memories, best first; failed with the model's exception if it fails
     */
    public CompletableFuture<List<Candidate>> curate(String chatId, String text) {
        Objects.requireNonNull(chatId, "chatId");
        ZonedDateTime now = instant.now();
        Map<String, String> vars = Map.of("text", text == null ? "" : text, "now", NOW.format(now));
        CompletableFuture<List<Candidate>> result;
        try {
            result = llm.complete(prompts.request(PromptId.MEMORY_QUERY, ModelSlot.UTILS_SMALL, vars))
                    .thenApplyAsync(response -> lookup(chatId, response.text()), executor);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((memories, failure) -> {
            if (failure != null) log.debug("llm recall for chat {} failed: {}", chatId, Failures.unwrap(failure).toString());
        });
    }

    /** The memories prepared for this chat's turn, or none. Never blocks. */
    public List<Candidate> prefetched(String chatId) {
        return cache.prefetched(chatId);
    }

    /**
     * The memories prepared for this chat's turn, ranked against {@code query} like any other source's: only
     * those sharing a content word ({@link TextAnalysis#tokens}) with the query, most shared distinct words
     * first, ties in the model's order. A list prepared before the question was known cannot answer every
     * question; unranked it would put the same memories into every recall of the turn. Never blocks.
     */
    public List<Candidate> prefetched(String chatId, String query) {
        List<Candidate> all = cache.prefetched(chatId);
        if (all.isEmpty()) return all;
        Set<String> wanted = new HashSet<>(TextAnalysis.tokens(query));
        List<Map.Entry<Candidate, Integer>> scored = new ArrayList<>();
        for (Candidate c : all) {
            Set<String> shared = new HashSet<>(TextAnalysis.tokens(c.text()));
            shared.retainAll(wanted);
            if (!shared.isEmpty()) scored.add(Map.entry(c, shared.size()));
        }
        scored.sort(Map.Entry.<Candidate, Integer>comparingByValue().reversed()); // stable: ties keep the model's order
        return scored.stream().map(Map.Entry::getKey).toList();
    }

    private List<Candidate> lookup(String chatId, String answer) {
        Optional<LlmOutputs.MemoryQuery> intent = LlmOutputs.memoryQuery(answer);
        if (intent.isEmpty()) {
            log.warn("unreadable memory query answer for chat {}: {}", chatId, answer.length() > 120 ? answer.substring(0, 120) : answer);
            return List.of();
        }
        LlmOutputs.MemoryQuery q = intent.get();
        if (!q.needMemory()) return List.of();
        Instant deadline = clock.instant().plus(LOOKUP_BUDGET);
        List<Candidate> found = instant.lookup(chatId, q.keywords(), TimeExpressions.range(q.time(), instant.now()),
                settings.k(), deadline);
        return List.copyOf(found);
    }
}
