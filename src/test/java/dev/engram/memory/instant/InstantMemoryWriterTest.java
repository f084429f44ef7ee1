package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.Failures;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmServerException;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.openai.OpenAiLlmClient;
import dev.engram.llm.openai.OpenAiSettings;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.model.StoredMemory;
import dev.engram.memory.instant.InstantMemoryWriter.Outcome;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

class InstantMemoryWriterTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant T0 = Instant.parse("2026-03-03T11:00:00Z"); // 19:00 in Shanghai

    @TempDir
    Path dir;
    Storage storage;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir, 5_000);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private InstantMemoryWriter writer(LlmClient llm) {
        return new InstantMemoryWriter(storage.memories(), llm, Prompts.loadDefault(), InstantMemorySettings.defaults(ZONE));
    }

    private List<ChatMessage> chat(String chatId, String... lines) {
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].split("：", 2);
            out.add(storage.messages().append(NewMessage.user(chatId, parts[0], parts[0], parts[1], T0.plusSeconds(60L * i))));
        }
        return out;
    }

    /** Writes for the window's last message, the ones before it as context. */
    private static InstantMemoryWriter.Result write(InstantMemoryWriter writer, String chatId, List<ChatMessage> window,
                                                    String key) throws InterruptedException {
        return writer.write(chatId, window.subList(0, window.size() - 1), List.of(window.getLast()), key);
    }

    @Test
    void writes_a_memory_with_keywords_and_provenance_when_the_chat_holds_something_worth_remembering() throws Exception {
        List<ChatMessage> window = chat("c1", "阿哲：今天下班好早", "小林：对了，我对花生过敏，以后点外卖别放花生");

        var result = write(writer(new OfflineLlmClient()), "c1", window, "m:2");

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        StoredMemory memory = result.memories().getFirst();
        assertThat(result.memories()).hasSize(1);
        assertThat(memory.text()).startsWith("小林对花生过敏").doesNotContain("阿哲", "下班");
        assertThat(memory.keywords()).contains("花生");
        assertThat(memory.messageIds()).containsExactly(window.get(1).id());
        assertThat(memory.createdAt()).isEqualTo(window.get(1).createdAt());
        assertThat(storage.memories().findBySource("c1", "m:2")).contains(memory);
    }

    @Test
    void does_not_remember_small_talk() throws Exception {
        var result = write(writer(new OfflineLlmClient()), "c1", chat("c1", "小林：哈哈哈", "阿哲：好的"), "m:2");

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_WORTH_REMEMBERING);
        assertThat(storage.memories().count()).isZero();
    }

    @Test
    void a_replayed_task_does_not_ask_the_model_or_write_again() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"小林养了一只橘猫\", \"keywords\": \"橘猫\"}",
                        "{\"memory_text\": \"小林有一只猫叫咪咪\", \"keywords\": \"猫\"}");
        List<ChatMessage> window = chat("c1", "小林：我养了一只橘猫");

        var first = write(writer(llm), "c1", window, "m:1");
        var replay = write(writer(llm), "c1", window, "m:1");

        assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(replay.outcome()).isEqualTo(Outcome.ALREADY_WRITTEN);
        assertThat(replay.memories()).isEqualTo(first.memories());
        assertThat(llm.count(PromptId.MEMORY_BUILD)).isEqualTo(1);
        assertThat(storage.memories().count()).isEqualTo(1);
    }

    @Test
    void identical_or_near_identical_memories_are_not_stored_twice() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1").answer(PromptId.MEMORY_BUILD,
                "{\"memory_text\": \"小林对花生过敏，点外卖不要放花生。\", \"keywords\": \"花生\"}",
                "{\"memory_text\": \"小林对花生过敏 点外卖不要放花生\", \"keywords\": \"过敏\"}",
                "{\"memory_text\": \"小林对花生过敏，点外卖不要放花生哦\", \"keywords\": \"过敏\"}",
                "{\"memory_text\": \"阿哲买烤箱花了599元\", \"keywords\": \"烤箱\"}");
        List<ChatMessage> window = chat("c1", "小林：我对花生过敏", "小林：点外卖别放花生", "小林：记住哦", "阿哲：烤箱599元");
        InstantMemoryWriter writer = writer(llm);

        assertThat(write(writer, "c1", window.subList(0, 1), "m:1").outcome()).isEqualTo(Outcome.CREATED);
        assertThat(write(writer, "c1", window.subList(0, 2), "m:2").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(write(writer, "c1", window.subList(0, 3), "m:3").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(write(writer, "c1", window, "m:4").outcome()).isEqualTo(Outcome.CREATED);
        assertThat(storage.memories().count()).isEqualTo(2);
    }

    @Test
    void near_identical_memories_stating_other_numbers_are_other_facts() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1").answer(PromptId.MEMORY_BUILD,
                "{\"memory_text\": \"用户5喜欢上海和爬山，编号537\", \"keywords\": \"爬山\"}",
                "{\"memory_text\": \"用户5喜欢上海和爬山，编号817\", \"keywords\": \"爬山\"}",
                "{\"memory_text\": \"用户5喜欢上海和爬山，编号８１７\", \"keywords\": \"爬山\"}");
        List<ChatMessage> window = chat("c1", "用户5：我喜欢上海和爬山，编号537", "用户5：我喜欢上海和爬山，编号817",
                "用户5：再说一次，编号817");
        InstantMemoryWriter writer = writer(llm);

        assertThat(write(writer, "c1", window.subList(0, 1), "m:1").outcome()).isEqualTo(Outcome.CREATED);
        assertThat(write(writer, "c1", window.subList(1, 2), "m:2").outcome()).as("another number").isEqualTo(Outcome.CREATED);
        assertThat(write(writer, "c1", window.subList(2, 3), "m:3").outcome()).as("full-width digits, same number")
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(storage.memories().count()).isEqualTo(2);
    }

    @Test
    void the_same_memory_in_another_chat_is_not_a_duplicate() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"喜欢喝拿铁\", \"keywords\": \"拿铁\"}");

        assertThat(write(writer(llm), "c1", chat("c1", "小林：我喜欢喝拿铁"), "m:1").outcome()).isEqualTo(Outcome.CREATED);
        assertThat(write(writer(llm), "c2", chat("c2", "阿哲：我喜欢喝拿铁"), "m:2").outcome()).isEqualTo(Outcome.CREATED);
    }

    @Test
    void a_one_merely_contained_in_the_judgement_is_not_a_yes() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "10");

        var result = write(writer(llm), "c1", chat("c1", "小林：随便聊聊"), "m:1");

        assertThat(result.outcome()).isEqualTo(Outcome.NOT_WORTH_REMEMBERING);
        assertThat(llm.count(PromptId.MEMORY_BUILD)).isZero();
    }

    @Test
    void an_unreadable_memory_is_not_stored() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "抱歉，我无法提取记忆。");

        assertThat(write(writer(llm), "c1", chat("c1", "小林：我养了猫"), "m:1").outcome()).isEqualTo(Outcome.UNREADABLE);
        assertThat(storage.memories().count()).isZero();
    }

    @Test
    void relative_days_are_stored_as_absolute_dates_of_the_source_messages() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"memory_text\": \"小林昨天去了西湖\", \"keywords\": \"西湖\"}");

        StoredMemory memory = write(writer(llm), "c1", chat("c1", "小林：我昨天去了西湖"), "m:1").memories().getFirst();

        assertThat(memory.text()).isEqualTo("小林 2026-03-02（周一）去了西湖");
        assertThat(llm.requests().getFirst().variable("text")).startsWith("当前日期: 2026-03-03\n19:00:00, 小林 :\n我昨天去了西湖");
    }

    @Test
    void llm_failures_propagate_classified_for_the_engine_to_retry() {
        try (FakeLlmServer server = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 503));
             OpenAiLlmClient llm = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"))) {
            List<ChatMessage> window = chat("c1", "小林：我对花生过敏");

            assertThatThrownBy(() -> write(writer(llm), "c1", window, "m:1"))
                    .isInstanceOf(LlmServerException.class)
                    .satisfies(e -> assertThat(Failures.isRetriable(e)).isTrue());
            assertThat(storage.memories().count()).isZero();
        }
    }

    @Test
    void several_facts_of_one_message_are_stored_apart_keyed_so_a_replay_returns_them_all() throws Exception {
        List<ChatMessage> window = chat("c1", "阿哲：我对芒果过敏", "小林：我对花生过敏；我住在杭州；我最喜欢的电影是《千与千寻》");
        ScriptedLlmClient llm = new ScriptedLlmClient(new OfflineLlmClient());

        var first = write(writer(llm), "c1", window, "m:2");
        var replay = write(writer(llm), "c1", window, "m:2");

        assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(first.memories()).extracting(StoredMemory::text)
                .containsExactly("小林对花生过敏", "小林住在杭州", "小林最喜欢的电影是《千与千寻》");
        assertThat(first.memories()).allSatisfy(m -> assertThat(m.messageIds()).containsExactly(window.get(1).id()));
        assertThat(storage.memories().findBySource("c1", "m:2").orElseThrow().text()).contains("千与千寻");
        assertThat(storage.memories().findBySource("c1", "m:2#1").orElseThrow().text()).isEqualTo("小林对花生过敏");
        assertThat(replay.outcome()).isEqualTo(Outcome.ALREADY_WRITTEN);
        assertThat(replay.memories()).isEqualTo(first.memories());
        assertThat(llm.count(PromptId.MEMORY_BUILD)).isEqualTo(1);
        // the earlier message is context for the model, never a source of facts
        assertThat(llm.requests().getLast().variable("history")).contains("阿哲", "芒果");
        assertThat(llm.requests().getLast().variable("text")).doesNotContain("芒果");
    }

    @Test
    void a_fact_with_a_new_value_supersedes_the_speakers_current_one_and_a_repeat_is_a_noop() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient(new OfflineLlmClient());
        InstantMemoryWriter writer = writer(llm);

        write(writer, "c1", chat("c1", "小林：我最喜欢的电影是《千与千寻》"), "m:1");
        var updated = write(writer, "c1", chat("c1", "小林：我最喜欢的电影是《龙猫》"), "m:2");
        var repeated = write(writer, "c1", chat("c1", "小林：我最喜欢的电影是《龙猫》"), "m:3");
        var other = write(writer, "c1", chat("c1", "阿哲：我最喜欢的电影是《千与千寻》"), "m:4");

        assertThat(updated.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(updated.memories().getFirst().text()).isEqualTo("小林最喜欢的电影是《龙猫》");
        assertThat(repeated.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(other.outcome()).as("another speaker's fact supersedes nothing").isEqualTo(Outcome.CREATED);
        assertThat(storage.memories().count()).isEqualTo(3);
    }

    @Test
    void a_facts_time_is_added_when_its_text_does_not_name_that_day() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1").answer(PromptId.MEMORY_BUILD,
                "{\"facts\": [{\"speaker\": \"小林\", \"fact\": \"小林要去上海出差\", \"time\": \"2026-03-11\"},"
                        + " {\"speaker\": \"小林\", \"fact\": \"小林 2026-03-11（周三）开会\", \"time\": \"2026-03-11\"}]}");

        var result = write(writer(llm), "c1", chat("c1", "小林：下周三我要去上海出差，顺便开会"), "m:1");

        assertThat(result.memories()).extracting(StoredMemory::text)
                .containsExactly("小林要去上海出差（2026-03-11）", "小林 2026-03-11（周三）开会");
    }

    @Test
    void an_answer_with_no_facts_stores_nothing() throws Exception {
        ScriptedLlmClient llm = new ScriptedLlmClient().answer(PromptId.MEMORY_NEED_BUILD, "1")
                .answer(PromptId.MEMORY_BUILD, "{\"facts\": []}");

        assertThat(write(writer(llm), "c1", chat("c1", "小林：我在想事情"), "m:1").outcome())
                .isEqualTo(Outcome.NOT_WORTH_REMEMBERING);
        assertThat(storage.memories().count()).isZero();
    }
}
