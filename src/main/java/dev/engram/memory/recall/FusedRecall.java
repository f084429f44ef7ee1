package dev.engram.memory.recall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;
import dev.engram.memory.Candidate;
import dev.engram.model.Memory;
import dev.engram.memory.MemorySource;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/**
 * Recall for a reply: every memory source in parallel under one deadline, fused. Never throws and
 * never waits past the deadline.
 *
 * <p>Steps of {@link #recall(RecallQuery)}:
 * <ol>
 *   <li>start each asked source of weight &gt; 0 on the executor (virtual threads); in {@code prefetch} mode the
 *       {@link LlmRecall#prefetched(String, String) prefetched} LLM memories that match the query join at once as
 *       source {@code llm}, in {@code inline}
 *       mode {@link LlmRecall#curate} runs alongside the local sources;</li>
 *   <li>wait until all answered or the deadline is near (a margin of at most 20 ms, a tenth of the wait,
 *       is kept to fuse and hand over the answer, so a caller cut off at the deadline — the task engine — still
 *       gets the partial or cached answer); late sources are left to finish on their own and their answers
 *       dropped (a source that failed counts as not answered);</li>
 *   <li>screen what answered ({@link RecallScreen}: "我" is the asking speaker, questions below statements),
 *       fuse it ({@link RankFusion}: weighted RRF, exclusion of the current turn, de-duplication; the
 *       stale items the screen found — superseded facts — after the current ones; the
 *       {@link RecallSettings#expanding expanding} sources, the graph, only add items linked to the others' top
 *       hits), then
 *       take the best memories up to {@code topK} and the token budget ({@link TokenEstimator});</li>
 *   <li>status: {@code OK} every source answered, {@code PARTIAL} some did, {@code TIMEOUT} none did: then the
 *       last good result for this chat and query ({@link RecallCache}, at the chat's current version) is
 *       returned, else nothing.</li>
 * </ol>
 * Logs {@code 异步瞬时记忆：…} per recall and {@code 瞬时记忆检索超时…} when a source missed the deadline.
 *
 * <p>Concurrency: thread-safe; per call state is confined to the call, shared state is the bounded
 * recall cache (the instance's one {@link RecallCache}). The executor is owned by the caller.
 */
public final class FusedRecall {
    private static final Logger log = LoggerFactory.getLogger(FusedRecall.class);
    /** Longest time kept back before the deadline to fuse and hand the answer over (a tenth of the wait at most). */
    private static final Duration ANSWER_MARGIN = Duration.ofMillis(20);

    private final List<MemorySource> sources;
    private final LlmRecall llm;
    private final Executor executor;
    private final Clock clock;
    private final RecallSettings settings;
    private final RecallCache cache;
    private final RecallScreen screen;

    /**
     * @param cache  the instance's one recall cache (fallback entries live there)
     * @param screen screens the answers before fusion (the asking speaker, questions)
     */
    public FusedRecall(List<MemorySource> sources, LlmRecall llm, Executor executor, Clock clock,
                       RecallSettings settings, RecallCache cache, RecallScreen screen) {
        this.sources = List.copyOf(sources);
        this.llm = llm;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.screen = Objects.requireNonNull(screen, "screen");
        if (this.sources.stream().map(MemorySource::name).distinct().count() != this.sources.size()) {
            throw new IllegalArgumentException("source names must be distinct: " + sourceNames());
        }
    }

    /** Names of the configured sources, plus {@code llm} when LLM-assisted recall takes part. */
    public List<String> sourceNames() {
        List<String> names = new ArrayList<>(sources.stream().map(MemorySource::name).toList());
        if (llmTakesPart()) names.add(LlmRecall.NAME);
        return names;
    }

    /**
     * Lets every source of weight &gt; 0 start what a recall of {@code query} will need, ahead of it (the query
     * embedding while the message is still being stored); returns at once and never throws.
     */
    public void prepare(String query) {
        for (MemorySource s : sources) {
            if (settings.weight(s.name()) <= 0) continue;
            try {
                s.prepare(query);
            } catch (RuntimeException e) {
                log.debug("memory source {} could not prepare a recall: {}", s.name(), e.toString());
            }
        }
    }

    /** Recall with all sources and the configured limits; never throws. */
    public Recall recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
        return recall(RecallQuery.of(chatId, query, excludeMessages, deadline));
    }

    /** Recall with explicit sources and limits; never throws. */
    public Recall recall(RecallQuery q) {
        long start = System.nanoTime();
        long version = cache.version(q.chatId());
        try {
            return run(q, start, version);
        } catch (RuntimeException e) {
            log.warn("recall failed for chat {}; using the fallback", q.chatId(), e);
            return new Recall(cache.fallback(q.chatId(), q.query()), RecallStatus.TIMEOUT);
        }
    }

    /**
     * The screened answers of the asked sources to {@code q}, before fusion (evaluation asks each source once
     * and fuses the same answers with many weights, {@link #fuse}). Waits as {@link #recall(RecallQuery)} does;
     * late and failed sources are left out.
     */
    public SourceAnswers answers(RecallQuery q) {
        Gathered g = gather(q, true);
        return SourceAnswers.of(q, screen.screened(q, g.answered()));
    }

    /**
     * Fuses {@code answers} as recall does, with {@code weight} instead of the configured weights, up to the
     * query's {@code topK} and token budget (the configured ones when the query leaves them open).
     */
    public List<Memory> fuse(SourceAnswers answers, ToDoubleFunction<String> weight) {
        return fuse(answers, weight, settings.expanding());
    }

    /** {@link #fuse(SourceAnswers, ToDoubleFunction)} with other expanding sources ({@link RecallSettings#expanding}). */
    public List<Memory> fuse(SourceAnswers answers, ToDoubleFunction<String> weight, Set<String> expanding) {
        RecallQuery q = answers.query();
        List<RankFusion.Fused> fused = RankFusion.fuse(answers.bySource(), weight, settings.rrfK(), q.excludeMessages(),
                settings.duplicateSimilarity(), expanding, settings.expandFrom());
        return select(RecallScreen.currentFirst(fused, answers.stale(), RankFusion.Fused::key), topK(q), budget(q));
    }

    /**
     * The screened candidates of each source that answered one query, best first. Immutable.
     *
     * @param query    the query asked
     * @param bySource each answering source's screened candidates, in a deterministic source order
     * @param stale    keys of the stale candidates among them, which fusion ranks after the current ones
     *                 ({@link RecallScreen.Screened#stale})
     */
    public record SourceAnswers(RecallQuery query, Map<String, List<Candidate>> bySource, Set<String> stale) {
        public SourceAnswers {
            Objects.requireNonNull(query, "query");
            Map<String, List<Candidate>> copy = new LinkedHashMap<>();
            bySource.forEach((name, list) -> copy.put(name, List.copyOf(list)));
            bySource = Collections.unmodifiableMap(copy);
            stale = Set.copyOf(stale);
        }

        static SourceAnswers of(RecallQuery query, RecallScreen.Screened screened) {
            return new SourceAnswers(query, screened.bySource(), screened.stale());
        }
    }

    /** What the sources answered by the deadline: their lists, how many were asked, who was late, a log summary. */
    private record Gathered(Map<String, List<Candidate>> answered, int asked, List<String> late, String summary) {
    }

    private int topK(RecallQuery q) {
        return q.topK() > 0 ? q.topK() : settings.topK();
    }

    private int budget(RecallQuery q) {
        return q.tokenBudget() > 0 ? q.tokenBudget() : settings.tokenBudget();
    }

    /** @param muted whether to ask the sources of weight 0 too (fusion ignores them; only refitting needs them) */
    private Gathered gather(RecallQuery q, boolean muted) {
        int perSource = Math.max(settings.perSourceK(), topK(q));
        Map<String, CompletableFuture<List<Candidate>>> pending = new LinkedHashMap<>();
        for (MemorySource s : sources) {
            if (q.asks(s.name()) && (muted || settings.weight(s.name()) > 0)) {
                pending.put(s.name(), launch(s, q, perSource));
            }
        }
        Map<String, List<Candidate>> answered = new TreeMap<>();
        int asked = pending.size();
        if (llmTakesPart() && q.asks(LlmRecall.NAME) && (muted || settings.weight(LlmRecall.NAME) > 0)) {
            asked++;
            if (settings.llmMode() == LlmRecallMode.PREFETCH) answered.put(LlmRecall.NAME, llm.prefetched(q.chatId(), q.query()));
            else pending.put(LlmRecall.NAME, llm.curate(q.chatId(), q.query()));
        }
        awaitUntil(pending.values(), q.deadline());

        List<String> late = new ArrayList<>();
        StringJoiner summary = new StringJoiner(" ");
        for (Map.Entry<String, CompletableFuture<List<Candidate>>> e : pending.entrySet()) {
            CompletableFuture<List<Candidate>> f = e.getValue();
            if (!f.isDone()) {
                late.add(e.getKey());
                summary.add(e.getKey() + "=late");
            } else if (f.isCompletedExceptionally()) {
                summary.add(e.getKey() + "=failed");
            } else {
                answered.put(e.getKey(), f.join());
            }
        }
        answered.forEach((name, list) -> summary.add(name + "=" + list.size()));
        return new Gathered(answered, asked, late, summary.toString());
    }

    private Recall run(RecallQuery q, long start, long version) {
        Gathered g = gather(q, false);
        Map<String, List<Candidate>> answered = g.answered();
        RecallStatus status = answered.size() == g.asked() ? RecallStatus.OK
                : answered.isEmpty() ? RecallStatus.TIMEOUT : RecallStatus.PARTIAL;
        List<Memory> memories;
        if (status == RecallStatus.TIMEOUT) {
            memories = cache.fallback(q.chatId(), q.query());
        } else {
            memories = fuse(SourceAnswers.of(q, screen.screened(q, answered)), settings::weight);
            if (!memories.isEmpty()) cache.keepFallback(q.chatId(), q.query(), version, memories);
        }
        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (!g.late().isEmpty()) {
            String line = "瞬时记忆检索超时：chat={} late={} status={} fallback={}";
            if (status == RecallStatus.TIMEOUT) log.warn(line, q.chatId(), g.late(), status.wire(), memories.size());
            else log.info(line, q.chatId(), g.late(), status.wire(), memories.size());
        }
        log.info("异步瞬时记忆：chat={} status={} memories={} tokens={} [{}] {}ms", q.chatId(), status.wire(),
                memories.size(), memories.stream().mapToInt(m -> TokenEstimator.perMemory(m.text())).sum(), g.summary(),
                elapsedMs);
        return new Recall(memories, status);
    }

    private boolean llmTakesPart() {
        return llm != null && settings.llmMode() != LlmRecallMode.OFF;
    }

    private CompletableFuture<List<Candidate>> launch(MemorySource s, RecallQuery q, int k) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return List.copyOf(s.search(q.chatId(), q.query(), k, q.deadline()));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, executor).whenComplete((r, e) -> {
                if (e != null) log.warn("memory source {} failed: {}", s.name(), String.valueOf(Failures.unwrap(e)));
            });
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private void awaitUntil(Iterable<CompletableFuture<List<Candidate>>> futures, Instant deadline) {
        List<CompletableFuture<List<Candidate>>> all = new ArrayList<>();
        futures.forEach(all::add);
        if (all.isEmpty()) return;
        long left = Duration.between(clock.instant(), deadline).toNanos();
        long nanos = left - Math.min(ANSWER_MARGIN.toNanos(), left / 10);
        if (nanos <= 0) return;
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // late or failed sources are sorted out by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // answer with what finished; the caller sees the flag
        }
    }

    /** The best memories up to {@code topK} whose estimated tokens fit {@code budget} together. */
    private static List<Memory> select(List<RankFusion.Fused> fused, int topK, int budget) {
        List<Memory> out = new ArrayList<>();
        long used = 0;
        for (RankFusion.Fused f : fused) {
            if (out.size() >= topK) break;
            int cost = TokenEstimator.perMemory(f.text());
            if (used + cost > budget) continue; // a long memory gives way to shorter, lower-ranked ones
            used += cost;
            out.add(new Memory(f.text(), f.source(), f.score(), f.messageIds().stream().sorted().toList()));
        }
        return out;
    }
}
