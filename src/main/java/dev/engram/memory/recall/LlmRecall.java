package dev.engram.memory.recall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.engram.common.Failures;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmOutputs;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.memory.Candidate;
import dev.engram.memory.instant.InstantSource;
import dev.engram.text.TimeExpressions;

/**
 * LLM-assisted recall, source {@value #NAME}: the model reads the chat ({@code MEMORY_QUERY}) and names
 * keywords and a time; the instant memory is looked up with them. Two ways to use it
 * (see {@link LlmRecallMode}):
 * <ul>
 *   <li>{@link #prefetch}: run by the task engine as a low-priority task after each message; the result is
 *       kept per chat and {@link #prefetched} hands it to the chat's next recall at no cost;</li>
 *   <li>{@link #curate}: asynchronous, for {@code inline} mode; the caller waits until its deadline at most.
 *       A late answer is not wasted: it is kept for the next turn like a prefetch.</li>
 * </ul>
 * Concurrency: thread-safe. The per-chat results live in a bounded Caffeine cache (size and TTL on the
 * injected clock); the lookup after the model's answer runs on the given executor, never on the HTTP
 * client's threads. LLM failures propagate (prefetch) or fail the future (curate); nothing is retried here.
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
    private final Cache<String, List<Candidate>> byChat;

    /**
     * @param k          memories kept per chat (default 8)
     * @param maxChats   chats whose prefetched memories are kept (default 10,000)
     * @param ttl        how long a prefetched result may be used (default 30 min)
     */
    public record Settings(int k, int maxChats, Duration ttl) {
        public Settings {
            Objects.requireNonNull(ttl, "ttl");
            if (k < 1) throw new IllegalArgumentException("k must be >= 1, was " + k);
            if (maxChats < 0) throw new IllegalArgumentException("maxChats must be >= 0, was " + maxChats);
            if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be > 0");
        }

        public static Settings defaults() {
            return new Settings(8, 10_000, Duration.ofMinutes(30));
        }
    }

    public LlmRecall(LlmClient llm, Prompts prompts, InstantSource instant, Executor executor, Clock clock,
                     Settings settings) {
        this.llm = Objects.requireNonNull(llm, "llm");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        this.instant = Objects.requireNonNull(instant, "instant");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.byChat = Caffeine.newBuilder().maximumSize(settings.maxChats()).expireAfterWrite(settings.ttl())
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /**
     * Prepares the chat's next turn: asks the model about {@code recentText} (the recent chat, newest last),
     * looks the memories up and keeps them for {@link #prefetched}. Blocks; meant for a task-engine worker.
     *
     * @return the memories kept
     * @throws RuntimeException the model's classified failure ({@link dev.engram.llm.LlmException}), for the engine's retry
     */
    public List<Candidate> prefetch(String chatId, String recentText) throws InterruptedException {
        try {
            return curate(chatId, recentText).get();
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException("llm recall failed", cause);
        }
    }

    /**
     * Asks the model about {@code text} and looks the memories up, asynchronously; the result is also kept
     * for the chat's next turn.
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
            if (failure == null) byChat.put(chatId, memories);
            else log.debug("llm recall for chat {} failed: {}", chatId, Failures.unwrap(failure).toString());
        });
    }

    /** The memories prepared for this chat's turn, or none. Never blocks. */
    public List<Candidate> prefetched(String chatId) {
        List<Candidate> kept = byChat.getIfPresent(chatId);
        return kept == null ? List.of() : kept;
    }

    /** Forgets what was prepared for a chat. */
    public void invalidate(String chatId) {
        byChat.invalidate(chatId);
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
