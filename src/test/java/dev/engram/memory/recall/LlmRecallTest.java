package dev.engram.memory.recall;

import static dev.engram.memory.recall.TestSources.c;
import static dev.engram.memory.recall.TestSources.fixed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.Failures;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.llm.LlmClient;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.openai.OpenAiLlmClient;
import dev.engram.llm.openai.OpenAiSettings;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.memory.Candidate;
import dev.engram.model.Memory;
import dev.engram.memory.MemorySource;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.model.StoredMemory;
import dev.engram.memory.instant.InstantMemorySettings;
import dev.engram.memory.instant.InstantMemoryWriter;
import dev.engram.memory.instant.InstantSource;
import dev.engram.memory.instant.ScriptedLlmClient;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

class LlmRecallTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant T0 = Instant.parse("2026-03-03T11:00:00Z");

    @TempDir
    Path dir;
    Storage storage;
    InstantSource instant;
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    final Clock clock = Clock.systemUTC();
    StoredMemory cat;

    @BeforeEach
    void open() throws Exception {
        storage = SqliteStorage.open(dir, 5_000);
        instant = new InstantSource(storage.memories(), clock, ZONE);
        ScriptedLlmClient writerLlm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"小林养了一只橘猫，名字叫咪咪\", \"keywords\": \"橘猫/咪咪\"}");
        ChatMessage m = storage.messages().append(NewMessage.user("c1", "u", "小林", "我养了一只橘猫叫咪咪", T0));
        cat = new InstantMemoryWriter(storage.memories(), writerLlm, Prompts.loadDefault(),
                InstantMemorySettings.defaults(ZONE)).write("c1", List.of(), List.of(m), "m:1").memories().getFirst();
    }

    @AfterEach
    void close() {
        executor.close();
        storage.close();
    }

    private LlmRecall llmRecall(LlmClient llm) {
        return new LlmRecall(llm, Prompts.loadDefault(), instant, executor, clock, LlmRecall.Settings.defaults(), DefaultSettings.recallCache(clock));
    }

    private FusedRecall fused(LlmRecall llm, LlmRecallMode mode, MemorySource... local) {
        return new FusedRecall(Arrays.asList(local), llm, executor, clock, DefaultSettings.recall().withLlmMode(mode), DefaultSettings.recallCache(clock),
                new RecallScreen(ids -> List.of(), ids -> List.of(), ids -> List.of()));
    }

    @Test
    void prefetched_memories_are_ranked_against_the_question_and_unrelated_ones_left_out() throws Exception {
        LlmRecall llm = llmRecall(new OfflineLlmClient());
        List<Candidate> prepared = llm.prefetch("c1", "小林: 我家橘猫最近不爱吃饭");
        FusedRecall fused = fused(llm, LlmRecallMode.PREFETCH, fixed("lexical"));

        assertThat(prepared).isNotEmpty();
        assertThat(llm.prefetched("c1", "橘猫咪咪几岁了")).isEqualTo(prepared);
        assertThat(llm.prefetched("c1", "下周三去上海出差吗")).isEmpty();
        assertThat(fused.recall("c1", "下周三去上海出差吗", Set.of(), clock.instant().plusSeconds(1)).memories())
                .as("a prefetched list is not the answer to every question").isEmpty();
    }

    @Test
    void prefetch_prepares_memories_that_the_chats_next_recall_uses_at_no_cost() throws Exception {
        LlmRecall llm = llmRecall(new OfflineLlmClient());

        List<Candidate> prepared = llm.prefetch("c1", "小林: 我家橘猫最近不爱吃饭");
        Recall r = fused(llm, LlmRecallMode.PREFETCH, fixed("lexical")).recall("c1", "橘猫不爱吃饭怎么办", Set.of(), clock.instant().plusSeconds(1));

        assertThat(prepared).extracting(Candidate::key).containsExactly("i:" + cat.id());
        assertThat(llm.prefetched("c1")).isEqualTo(prepared);
        assertThat(llm.prefetched("c2")).isEmpty();
        assertThat(r.status()).isEqualTo(RecallStatus.OK);
        assertThat(r.memories()).extracting(Memory::source).containsExactly("llm");
    }

    @Test
    void a_model_that_sees_no_need_or_answers_nonsense_prepares_nothing() throws Exception {
        assertThat(llmRecall(new ScriptedLlmClient().answer(PromptId.MEMORY_QUERY, "{\"need_memory\": 0, \"keywords\": \"橘猫\"}"))
                .prefetch("c1", "橘猫")).isEmpty();
        assertThat(llmRecall(new ScriptedLlmClient().answer(PromptId.MEMORY_QUERY, "我不知道")).prefetch("c1", "橘猫")).isEmpty();
        assertThat(llmRecall(new ScriptedLlmClient().answer(PromptId.MEMORY_QUERY,
                "{\"need_memory\": 1, \"keywords\": \"橘猫\", \"time\": \"昨天\"}")).prefetch("c1", "橘猫")).isEmpty();
    }

    @Test
    void inline_mode_never_waits_past_the_deadline_for_a_slow_model() {
        try (FakeLlmServer server = FakeLlmServer.start(0, FakeLlmProfile.fixed(Duration.ofSeconds(3)));
             OpenAiLlmClient client = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"))) {
            LlmRecall llm = llmRecall(client);
            FusedRecall recall = fused(llm, LlmRecallMode.INLINE, fixed("lexical", c("m:1", "我养了一只橘猫叫咪咪", 1)));

            long start = System.nanoTime();
            Recall r = recall.recall("c1", "我家橘猫最近不爱吃饭", Set.of(), clock.instant().plusMillis(300));
            long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertThat(elapsedMs).isLessThan(600);
            assertThat(r.status()).isEqualTo(RecallStatus.PARTIAL);
            assertThat(r.memories()).extracting(Memory::text).containsExactly("我养了一只橘猫叫咪咪");
        }
    }

    @Test
    void prefetch_mode_recall_stays_fast_while_every_model_call_takes_3_seconds() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start(0, FakeLlmProfile.fixed(Duration.ofSeconds(3)));
             OpenAiLlmClient client = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"))) {
            LlmRecall llm = llmRecall(client);
            FusedRecall recall = fused(llm, LlmRecallMode.PREFETCH, instant);
            for (int i = 0; i < 20; i++) recall.recall("c1", "橘猫", Set.of(), clock.instant().plusSeconds(2)); // warm-up

            long[] millis = new long[100];
            for (int i = 0; i < millis.length; i++) {
                llm.curate("c1", "橘猫 " + i); // the engine's low-priority prefetch, running alongside
                long start = System.nanoTime();
                Recall r = recall.recall("c1", "我的橘猫叫什么 " + i, Set.of(), clock.instant().plusSeconds(2));
                millis[i] = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertThat(r.status()).isEqualTo(RecallStatus.OK);
                assertThat(r.memories()).isNotEmpty();
            }
            Arrays.sort(millis);
            assertThat(millis[98]).as("p99 recall ms").isLessThanOrEqualTo(50);
        }
    }

    @Test
    void with_the_model_failing_every_call_recall_still_answers_from_local_sources() {
        try (FakeLlmServer server = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 500));
             OpenAiLlmClient client = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"))) {
            LlmRecall llm = llmRecall(client);

            assertThatThrownBy(() -> llm.prefetch("c1", "橘猫")).satisfies(e -> assertThat(Failures.isRetriable(e)).isTrue());
            Recall prefetchMode = fused(llm, LlmRecallMode.PREFETCH, instant).recall("c1", "橘猫", Set.of(),
                    clock.instant().plusSeconds(2));
            Recall inlineMode = fused(llm, LlmRecallMode.INLINE, instant).recall("c1", "橘猫", Set.of(),
                    clock.instant().plusSeconds(2));

            assertThat(prefetchMode.status()).isEqualTo(RecallStatus.OK);
            assertThat(prefetchMode.memories()).extracting(Memory::text).containsExactly(cat.text());
            assertThat(inlineMode.status()).isEqualTo(RecallStatus.PARTIAL);
            assertThat(inlineMode.memories()).extracting(Memory::text).containsExactly(cat.text());
        }
    }

    @Test
    void off_mode_never_asks_the_model() {
        ScriptedLlmClient model = new ScriptedLlmClient();
        FusedRecall recall = fused(llmRecall(model), LlmRecallMode.OFF, instant);

        Recall r = recall.recall("c1", "橘猫", Set.of(), clock.instant().plusSeconds(1));

        assertThat(r.status()).isEqualTo(RecallStatus.OK);
        assertThat(model.requests()).isEmpty();
        assertThat(recall.sourceNames()).containsExactly("instant");
    }
}
