package dev.engram.memory;

import dev.engram.memory.recall.RecallScreen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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
import dev.engram.llm.LlmRequest;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.memory.instant.InstantMemorySettings;
import dev.engram.memory.instant.InstantMemoryWriter;
import dev.engram.memory.instant.InstantSource;
import dev.engram.memory.instant.ScriptedLlmClient;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.InMemoryIndex;
import dev.engram.memory.recall.RecallSettings;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.StoredMemory;
import dev.engram.text.Transcript;

class StorePipelineTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant T0 = Instant.parse("2026-03-03T11:00:00Z");

    @TempDir
    Path dir;
    Storage storage;
    InMemoryIndex index;
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    final Clock clock = Clock.fixed(T0.plusSeconds(3_600), ZONE);

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir, 5_000);
        index = new InMemoryIndex();
    }

    @AfterEach
    void close() {
        executor.close();
        storage.close();
    }

    private StorePipeline pipeline(LlmClient llm, boolean instantMemory) {
        return new StorePipeline(storage.messages(), storage.memories(), index, llm, Prompts.loadDefault(), clock,
                new StorePipeline.Settings(true, instantMemory, InstantMemorySettings.defaults(ZONE)));
    }

    private FusedRecall recall() {
        return new FusedRecall(List.of(index, new InstantSource(storage.memories(), clock, ZONE)), null, executor,
                Clock.systemUTC(), DefaultSettings.recall(), DefaultSettings.recallCache(Clock.systemUTC()),
                new RecallScreen(storage.messages()::findAll, storage.memories()::findAll, storage.memories()::writtenFrom));
    }

    private ChatMessage say(String chatId, String text, long minute) {
        return storage.messages().append(NewMessage.user(chatId, "u", "小林", text, T0.plusSeconds(60 * minute)));
    }

    private StorePipeline.Outcome store(StorePipeline pipeline, ChatMessage m) throws Exception {
        return pipeline.store(m.chatId(), m.text(), List.of(m.id()));
    }

    @Test
    void indexes_the_message_and_writes_an_indexed_instant_memory() throws Exception {
        say("c1", "今天好累", 0);
        ChatMessage m = say("c1", "对了，我对花生过敏，以后点外卖别放花生", 1);

        StorePipeline.Outcome outcome = store(pipeline(new OfflineLlmClient(), true), m);

        assertThat(outcome.messagesIndexed()).isEqualTo(1);
        assertThat(outcome.instant()).contains(InstantMemoryWriter.Outcome.CREATED);
        StoredMemory memory = outcome.memories().getFirst();
        assertThat(outcome.memories()).hasSize(1);
        assertThat(memory.text()).startsWith("小林对花生过敏").doesNotContain("好累");
        assertThat(outcome.memoryChanged()).isTrue();
        assertThat(index.keys()).containsExactlyInAnyOrder("m:" + m.id(), "i:" + memory.id());
        assertThat(memory.messageIds()).containsExactly(m.id());
    }

    @Test
    void a_stored_message_is_recallable_on_the_next_turn() throws Exception {
        ChatMessage m = say("c1", "我下周三要去杭州出差", 0);
        store(pipeline(new OfflineLlmClient(), true), m);
        ChatMessage next = say("c1", "我去杭州出差是哪天来着", 5);

        Recall r = recall().recall("c1", next.text(), Set.of(next.id()), Instant.now().plusSeconds(2));

        assertThat(r.memories()).isNotEmpty();
        assertThat(r.memories().getFirst().messageIds()).containsExactly(m.id());
    }

    @Test
    void with_the_llm_failing_every_call_the_message_is_still_indexed_and_the_error_is_retriable() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 500));
             OpenAiLlmClient llm = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"))) {
            ChatMessage m = say("c1", "我对花生过敏", 0);

            assertThatThrownBy(() -> store(pipeline(llm, true), m)).satisfies(e -> assertThat(Failures.isRetriable(e)).isTrue());

            assertThat(index.keys()).containsExactly("m:" + m.id());
            Recall r = recall().recall("c1", "花生过敏", Set.of(), Instant.now().plusSeconds(2));
            assertThat(r.memories()).extracting(Memory::text).containsExactly("我对花生过敏");
        }
    }

    @Test
    void a_replayed_task_neither_writes_nor_asks_the_model_again() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"小林对花生过敏\", \"keywords\": \"花生\"}");
        ChatMessage m = say("c1", "我对花生过敏", 0);
        StorePipeline pipeline = pipeline(llm, true);

        StorePipeline.Outcome first = store(pipeline, m);
        say("c1", "newer message arrived meanwhile", 1);
        StorePipeline.Outcome replay = store(pipeline, m);

        assertThat(replay.instant()).contains(InstantMemoryWriter.Outcome.ALREADY_WRITTEN);
        assertThat(replay.memories()).isEqualTo(first.memories());
        assertThat(storage.memories().count()).isEqualTo(1);
        assertThat(llm.count(PromptId.MEMORY_BUILD)).isEqualTo(1);
        assertThat(index.keys()).hasSize(2);
    }

    @Test
    void the_instant_step_is_skipped_when_llm_instant_memory_is_off() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient(); // any call would fail
        ChatMessage m = say("c1", "我对花生过敏", 0);

        StorePipeline.Outcome outcome = store(pipeline(llm, false), m);

        assertThat(outcome.instant()).isEmpty();
        assertThat(outcome.memoryChanged()).isTrue();
        assertThat(llm.requests()).isEmpty();
        assertThat(storage.memories().count()).isZero();
    }

    @Test
    void the_window_is_the_message_and_the_few_before_it_within_the_span_never_after_it() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"facts\": []}");
        say("c1", "上周的旧消息", -200);
        List<ChatMessage> earlier = new ArrayList<>();
        for (int i = 0; i < 6; i++) earlier.add(say("c1", "消息" + i, i));
        ChatMessage target = earlier.getLast();
        for (int i = 0; i < 30; i++) say("c1", "之后的消息" + i, 10 + i); // forces the slower neighbourhood query

        store(pipeline(llm, true), target);

        assertThat(llm.requests().getFirst().variable("text")).as("the judgement sees the message alone")
                .contains("消息5").doesNotContain("消息4");
        String history = llm.requests().getLast().variable("history");
        String text = llm.requests().getLast().variable("text");
        assertThat(history).contains("消息1", "消息4").doesNotContain("消息0", "旧消息", "之后的消息", "消息5");
        assertThat(Transcript.parse(history).contentText().lines()).hasSize(4);
        assertThat(Transcript.parse(text).contentText().lines()).containsExactly("消息5");
    }

    @Test
    void content_without_stored_messages_is_remembered_once() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"用户的生日是5月3日\", \"keywords\": \"生日\"}");
        StorePipeline pipeline = pipeline(llm, true);

        StorePipeline.Outcome first = pipeline.store("c1", "记住，我的生日是5月3日", List.of());
        StorePipeline.Outcome again = pipeline.store("c1", "记住，我的生日是5月3日", List.of());

        assertThat(first.messagesIndexed()).isZero();
        assertThat(first.memories().getFirst().messageIds()).isEmpty();
        assertThat(again.instant()).contains(InstantMemoryWriter.Outcome.ALREADY_WRITTEN);
        assertThat(storage.memories().count()).isEqualTo(1);
    }

    @Test
    void memory_of_one_chat_never_appears_in_another_chats_recall() throws Exception {
        StorePipeline pipeline = pipeline(new OfflineLlmClient(), true);
        store(pipeline, say("alice", "我对花生过敏，记住哦", 0));
        store(pipeline, say("alice", "我的猫叫咪咪", 1));
        ChatMessage bobs = say("bob", "我喜欢吃花生酱", 2);
        store(pipeline, bobs);
        ChatMessage wrongChat = say("alice", "my secret", 3);

        StorePipeline.Outcome ignored = pipeline.store("bob", "x", List.of(wrongChat.id()));
        Recall r = recall().recall("bob", "花生过敏 猫 咪咪 secret", Set.of(), Instant.now().plusSeconds(2));

        assertThat(ignored.messagesIndexed()).isZero();
        assertThat(r.memories()).isNotEmpty()
                .allSatisfy(mem -> assertThat(mem.messageIds()).containsOnly(bobs.id()));
        assertThat(r.memories()).extracting(Memory::text).noneMatch(t -> t.contains("咪咪") || t.contains("过敏"));
    }

    @Test
    void many_chats_store_concurrently_without_mixing() throws Exception {
        StorePipeline pipeline = pipeline(new OfflineLlmClient(), true);
        List<java.util.concurrent.Future<StorePipeline.Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ChatMessage m = say("chat" + i, "我叫用户" + i + "，我喜欢第" + i + "种口味的冰淇淋", 0);
            futures.add(executor.submit(() -> store(pipeline, m)));
        }
        for (var f : futures) assertThat(f.get(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .memoryChanged()).isTrue();

        for (int i = 0; i < 8; i++) {
            for (StoredMemory m : storage.memories().byChat("chat" + i, Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"), 10)) {
                assertThat(m.text()).containsAnyOf("用户" + i, "第" + i + "种");
            }
        }
    }

    private ChatMessage reply(String chatId, String text, long minute) {
        return storage.messages().append(NewMessage.assistant(chatId, text, T0.plusSeconds(60 * minute)));
    }

    @Test
    void the_offline_template_reply_is_logged_but_neither_indexed_nor_remembered() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient(); // any call would fail
        ChatMessage bot = reply("c1", "[Engram 离线模式] 收到：我对什么过敏？\n我回忆起：\n- 小林: 我对花生过敏\n（这是一条模板回复。）", 0);

        StorePipeline.Outcome outcome = pipeline(llm, true).store("c1", bot.text(), List.of(bot.id()));

        assertThat(outcome.messagesIndexed()).isZero();
        assertThat(outcome.instant()).isEmpty();
        assertThat(index.keys()).isEmpty();
        assertThat(llm.requests()).isEmpty();
        assertThat(storage.messages().findAll(List.of(bot.id()))).hasSize(1);
    }

    @Test
    void a_bot_reply_is_indexed_only_with_what_its_task_content_kept() throws Exception {
        ChatMessage bot = reply("c1", "你对花生过敏，点外卖时要注意。我周五提醒你交报告。", 0);
        String memorable = EchoFilter.memorable(bot.text(), List.of("小林: 我对花生过敏"));

        pipeline(new OfflineLlmClient(), false).store("c1", memorable, List.of(bot.id()));
        Recall r = recall().recall("c1", "花生过敏", Set.of(), Instant.now().plusSeconds(2));

        assertThat(index.keys()).containsExactly("m:" + bot.id());
        assertThat(r.memories()).extracting(Memory::text).noneMatch(t -> t.contains("花生"));
        assertThat(recall().recall("c1", "交报告", Set.of(), Instant.now().plusSeconds(2)).memories())
                .extracting(Memory::text).containsExactly("点外卖时要注意。我周五提醒你交报告。");
    }

    @Test
    void questions_greetings_and_acknowledgements_are_indexed_but_never_become_instant_memories() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"小林对花生过敏\", \"keywords\": \"花生\"}");
        StorePipeline pipeline = pipeline(llm, true);
        say("c1", "我对花生过敏", 0);
        for (String text : List.of("我对什么过敏？", "好的", "谢谢", "哈哈", "你好")) {
            StorePipeline.Outcome outcome = store(pipeline, say("c1", text, 1));
            assertThat(outcome.messagesIndexed()).as(text).isEqualTo(1);
            assertThat(outcome.instant()).as(text).isEmpty();
        }
        assertThat(llm.requests()).isEmpty();
        assertThat(storage.memories().count()).isZero();
    }

    @Test
    void earlier_bot_replies_in_the_window_lose_their_echoes_and_templates() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"facts\": []}");
        say("c1", "我对花生过敏", 0);
        reply("c1", "[Engram 离线模式] 收到：我对花生过敏\n我暂时没有回忆起相关的记忆。", 1);
        say("c1", "下周三我要去上海出差", 2);
        reply("c1", "你对花生过敏，出差记得带药。", 3);
        ChatMessage m = say("c1", "我最喜欢的电影是《千与千寻》", 4);

        store(pipeline(llm, true), m);

        LlmRequest build = llm.requests().getLast();
        assertThat(build.variable("history")).contains("我对花生过敏", "下周三我要去上海出差", "出差记得带药")
                .doesNotContain("离线模式", "你对花生过敏");
        assertThat(build.variable("text")).contains("千与千寻");
    }

}
