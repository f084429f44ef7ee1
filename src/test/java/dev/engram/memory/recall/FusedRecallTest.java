package dev.engram.memory.recall;

import static dev.engram.memory.recall.TestSources.blocked;
import static dev.engram.memory.recall.TestSources.c;
import static dev.engram.memory.recall.TestSources.failing;
import static dev.engram.memory.recall.TestSources.fixed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.Candidate;
import dev.engram.model.Memory;
import dev.engram.memory.MemorySource;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

class FusedRecallTest {
    /** No message log behind these fixed sources: the speaker step finds no asker and keeps everything. */
    private static final RecallScreen NO_LOG = new RecallScreen(ids -> List.of(), ids -> List.of(), ids -> List.of());
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch never = new CountDownLatch(1);
    private final Clock clock = Clock.systemUTC();
    private final RecallCache cache = DefaultSettings.recallCache(clock);

    @AfterEach
    void release() {
        never.countDown();
        executor.close();
    }

    private FusedRecall recall(RecallSettings settings, MemorySource... sources) {
        return new FusedRecall(List.of(sources), null, executor, clock, settings, DefaultSettings.recallCache(clock), NO_LOG);
    }

    private FusedRecall recall(MemorySource... sources) {
        return recall(DefaultSettings.recall(), sources);
    }

    private Instant in(long millis) {
        return clock.instant().plusMillis(millis);
    }

    @Test
    void ok_when_every_source_answers_with_memories_fused_best_first() throws Exception {
        FusedRecall recall = recall(
                fixed("lexical", c("m:1", "小林对花生过敏", 1), c("m:2", "阿哲买了烤箱", 2)),
                fixed("vector", c("m:2", "阿哲买了烤箱", 2)));

        Recall r = recall.recall("c1", "烤箱", Set.of(), in(1_000));

        assertThat(r.status()).isEqualTo(RecallStatus.OK);
        assertThat(r.memories()).extracting(Memory::text).containsExactly("阿哲买了烤箱", "小林对花生过敏");
        assertThat(r.memories().getFirst().messageIds()).containsExactly(2L);
        assertThat(r.memories().getFirst().score()).isGreaterThan(r.memories().get(1).score());
    }

    @Test
    void answers_asked_once_fuse_like_recall_and_again_with_other_weights() {
        FusedRecall recall = recall(
                fixed("lexical", c("m:1", "小林对花生过敏", 1), c("m:2", "阿哲买了烤箱", 2)),
                fixed("vector", c("m:2", "阿哲买了烤箱", 2), c("m:3", "雨桐养了一只猫", 3)));
        RecallQuery q = new RecallQuery("c1", "烤箱", Set.of(), in(1_000), Set.of(), 0, 0);

        FusedRecall.SourceAnswers answers = recall.answers(q);

        assertThat(answers.bySource()).containsOnlyKeys("lexical", "vector");
        assertThat(recall.fuse(answers, DefaultSettings.recall()::weight)).extracting(Memory::text)
                .containsExactlyElementsOf(recall.recall(q).memories().stream().map(Memory::text).toList());
        assertThat(recall.fuse(answers, s -> s.equals("vector") ? 1.0 : 0.0)).extracting(Memory::text)
                .containsExactly("阿哲买了烤箱", "雨桐养了一只猫");
        assertThat(recall.fuse(answers, s -> s.equals("lexical") ? 1.0 : 0.0)).extracting(Memory::text)
                .containsExactly("小林对花生过敏", "阿哲买了烤箱");
    }

    @Test
    void a_muted_source_is_not_asked_on_the_reply_path_but_is_for_refitting() {
        FusedRecall recall = recall(DefaultSettings.recall().withWeights(Map.of("lexical", 1.0, "vector", 0.0)),
                fixed("lexical", c("m:1", "小林对花生过敏", 1)), fixed("vector", c("m:2", "阿哲买了烤箱", 2)),
                failing("graph"));
        RecallQuery q = new RecallQuery("c1", "花生", Set.of(), in(1_000), Set.of("lexical", "vector"), 0, 0);

        Recall r = recall.recall(q);

        assertThat(r.status()).isEqualTo(RecallStatus.OK);
        assertThat(r.memories()).extracting(Memory::text).containsExactly("小林对花生过敏");
        assertThat(recall.answers(q).bySource()).containsOnlyKeys("lexical", "vector");
    }

    @Test
    void partial_when_a_source_misses_the_deadline_and_the_deadline_holds() {
        FusedRecall recall = recall(fixed("lexical", c("m:1", "小林对花生过敏", 1)),
                blocked("vector", never, c("m:9", "too late", 9)));

        long start = System.nanoTime();
        Recall r = recall.recall("c1", "花生", Set.of(), in(150));
        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(r.status()).isEqualTo(RecallStatus.PARTIAL);
        assertThat(r.memories()).extracting(Memory::text).containsExactly("小林对花生过敏");
        assertThat(elapsedMs).isBetween(100L, 400L);
    }

    @Test
    void timeout_falls_back_to_the_last_result_for_the_same_chat_and_query_else_empty() {
        AtomicBoolean stuck = new AtomicBoolean();
        MemorySource source = new MemorySource() {
            @Override
            public String name() {
                return "lexical";
            }

            @Override
            public List<Candidate> search(String chatId, String query, int k, Instant deadline) throws Exception {
                if (stuck.get()) never.await();
                return List.of(c("m:1", "小林对花生过敏", 1));
            }
        };
        FusedRecall recall = new FusedRecall(List.of(source), null, executor, clock, DefaultSettings.recall(), cache, NO_LOG);
        assertThat(recall.recall("c1", "花生过敏？", Set.of(), in(1_000)).status()).isEqualTo(RecallStatus.OK);
        stuck.set(true);

        Recall fallback = recall.recall("c1", "花生 过敏", Set.of(), in(50));

        assertThat(fallback.status()).isEqualTo(RecallStatus.TIMEOUT);
        assertThat(fallback.memories()).extracting(Memory::text).containsExactly("小林对花生过敏");
        assertThat(recall.recall("c2", "花生过敏", Set.of(), in(50))).isEqualTo(Recall.empty(RecallStatus.TIMEOUT));
        assertThat(recall.recall("c1", "别的问题", Set.of(), in(50))).isEqualTo(Recall.empty(RecallStatus.TIMEOUT));
        cache.invalidate("c1");
        assertThat(recall.recall("c1", "花生过敏", Set.of(), in(50)).memories()).isEmpty();
    }

    @Test
    void a_failing_source_is_left_out_and_nothing_ever_throws() {
        assertThat(recall(fixed("lexical", c("m:1", "a", 1)), failing("vector")).recall("c1", "a", Set.of(), in(500)))
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(RecallStatus.PARTIAL);
                    assertThat(r.memories()).hasSize(1);
                });
        assertThat(recall(failing("lexical")).recall("c1", "a", Set.of(), in(500))).isEqualTo(Recall.empty(RecallStatus.TIMEOUT));

        FusedRecall rejecting = new FusedRecall(List.of(fixed("lexical", c("m:1", "a", 1))), null,
                task -> {
                    throw new RejectedExecutionException("shut down");
                }, clock, DefaultSettings.recall(), DefaultSettings.recallCache(clock), NO_LOG);
        assertThat(rejecting.recall("c1", "a", Set.of(), in(500)).status()).isEqualTo(RecallStatus.TIMEOUT);
    }

    @Test
    void a_deadline_already_passed_returns_at_once() {
        long start = System.nanoTime();
        Recall r = recall(blocked("lexical", never)).recall("c1", "a", Set.of(), in(-10));

        assertThat(r.status()).isEqualTo(RecallStatus.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(200);
    }

    @Test
    void the_current_turn_is_excluded() {
        Recall r = recall(fixed("lexical", c("m:5", "what I just said", 5), c("m:4", "earlier", 4)))
                .recall("c1", "said", Set.of(5L), in(500));

        assertThat(r.memories()).extracting(Memory::text).containsExactly("earlier");
    }

    @Test
    void top_k_and_the_token_budget_bound_what_is_returned() {
        Candidate[] many = IntStream.range(0, 30)
                .mapToObj(i -> c("m:" + i, "记忆" + i + "：" + "很长的内容".repeat(20), i)).toArray(Candidate[]::new);
        FusedRecall recall = recall(DefaultSettings.recall().withLimits(8, 250), fixed("lexical", many));

        Recall r = recall.recall("c1", "记忆", Set.of(), in(500));

        int tokens = r.memories().stream().mapToInt(m -> TokenEstimator.perMemory(m.text())).sum();
        assertThat(tokens).isLessThanOrEqualTo(250);
        assertThat(r.memories()).hasSize(2);
        assertThat(recall.recall(new RecallQuery("c1", "记忆", Set.of(), in(500), Set.of(), 20, Integer.MAX_VALUE))
                .memories()).hasSize(20);
    }

    @Test
    void a_long_memory_gives_way_to_shorter_ones_that_fit() {
        FusedRecall recall = recall(DefaultSettings.recall().withLimits(8, 20),
                fixed("lexical", c("m:1", "x".repeat(200), 1), c("m:2", "short one", 2)));

        assertThat(recall.recall("c1", "q", Set.of(), in(500)).memories()).extracting(Memory::text).containsExactly("short one");
    }

    @Test
    void a_query_can_restrict_the_sources() {
        FusedRecall recall = recall(fixed("lexical", c("m:1", "from lexical", 1)), fixed("vector", c("m:2", "from vector", 2)),
                blocked("graph", never));

        Recall r = recall.recall(new RecallQuery("c1", "q", Set.of(), in(500), Set.of("vector"), 0, 0));

        assertThat(r.status()).isEqualTo(RecallStatus.OK);
        assertThat(r.memories()).extracting(Memory::source).containsExactly("vector");
        assertThat(recall.sourceNames()).containsExactly("lexical", "vector", "graph");
    }

    @Test
    void many_concurrent_recalls_all_return_by_their_deadline() throws Exception {
        FusedRecall recall = recall(fixed("lexical", c("m:1", "a", 1)), blocked("vector", never));
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<Recall>> results = IntStream.range(0, 50).mapToObj(i -> executor.submit(() -> {
            start.await();
            return recall.recall("c" + (i % 5), "a", Set.of(), in(200));
        })).toList();
        start.countDown();

        for (var f : results) {
            assertThat(f.get(2, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(RecallStatus.PARTIAL);
        }
    }
}
