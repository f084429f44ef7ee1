package dev.engram.llm.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import dev.engram.llm.LlmClientContract;
import dev.engram.llm.LlmOutputs;
import dev.engram.llm.LlmResponse;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;

class OfflineLlmClientTest {

    private final Prompts prompts = Prompts.loadDefault();
    private final OfflineLlmClient client = new OfflineLlmClient();

    private String answer(PromptId id, Map<String, String> vars) {
        return client.complete(prompts.request(id, ModelSlot.UTILS, vars)).join().text();
    }

    @ParameterizedTest
    @ValueSource(strings = {"记住我对花生过敏", "我下周三要去北京出差", "我喜欢吃火锅，不吃香菜", "我叫李华，住在上海",
            "别忘了明天下午三点开会", "My name is Alice and I love hiking", "Remember that my cat is called Momo",
            "我的生日是3月5号"})
    void need_build_says_one_for_facts_preferences_plans(String text) {
        assertThat(answer(PromptId.MEMORY_NEED_BUILD, Map.of("text", text))).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"哈哈", "你好", "嗯嗯", "好的", "谢谢", "哈哈哈哈哈", "hello", "lol", "ok thanks",
            "你喜欢吃什么？", "你还记得我们昨天聊的内容吗？", "今天天气不错", "", "   "})
    void need_build_says_zero_for_greetings_fillers_and_questions(String text) {
        assertThat(answer(PromptId.MEMORY_NEED_BUILD, Map.of("text", text))).isEqualTo("0");
    }

    @Test
    void need_build_judges_each_utterance_of_a_transcript() {
        String text = """
                12:00:01, 小明 :
                你们晚上吃什么？
                12:00:30, 小红 :
                我对海鲜过敏，别点虾。""";

        assertThat(answer(PromptId.MEMORY_NEED_BUILD, Map.of("text", text))).isEqualTo("1");
        assertThat(answer(PromptId.MEMORY_NEED_BUILD, Map.of("text", "小明：哈哈\n小红：你好呀"))).isEqualTo("0");
    }

    @Test
    void memory_build_answers_the_speakers_facts_in_the_third_person() {
        String text = """
                12:00:01, 小明 :
                哈哈今天好累。
                12:00:30, 小明 :
                对了，我对花生过敏，下次聚餐别点花生。""";

        List<LlmOutputs.ExtractedFact> facts = LlmOutputs.facts(answer(PromptId.MEMORY_BUILD,
                Map.of("history", "（无）", "text", text))).orElseThrow();

        assertThat(facts).extracting(LlmOutputs.ExtractedFact::fact).containsExactly("小明对花生过敏，下次聚餐别点花生");
        assertThat(facts).allSatisfy(f -> assertThat(f.speaker()).isEqualTo("小明"));
        assertThat(facts.getFirst().keywords()).contains("花生");
    }

    @Test
    void memory_query_detects_time_and_keeps_time_words_out_of_keywords() {
        LlmOutputs.MemoryQuery q = LlmOutputs.memoryQuery(answer(PromptId.MEMORY_QUERY,
                Map.of("text", "三天前小李说的那家火锅店叫什么", "now", "2024-05-01 12:00:00"))).orElseThrow();

        assertThat(q.needMemory()).isTrue();
        assertThat(q.time()).isEqualTo("3天前");
        assertThat(q.keywords()).contains("小李").doesNotContain("三天前", "天前");
    }

    @Test
    void memory_query_needs_no_memory_for_a_greeting() {
        LlmOutputs.MemoryQuery q = LlmOutputs.memoryQuery(answer(PromptId.MEMORY_QUERY,
                Map.of("text", "你好呀", "now", "2024-05-01 12:00:00"))).orElseThrow();

        assertThat(q.needMemory()).isFalse();
        assertThat(q.time()).isEmpty();
    }

    @Test
    void topics_exclude_speakers_and_timestamps_and_respect_the_limit() {
        String text = LlmClientContract.TRANSCRIPT;

        List<String> topics = LlmOutputs.topics(answer(PromptId.TOPIC_FIND, Map.of("text", text, "topic_num", "2")));

        assertThat(topics).hasSize(2).contains("杭州").doesNotContain("小明", "老王", "none", "12", "2024");
    }

    @ParameterizedTest
    @ValueSource(strings = {"猫", "none of that", "吃", "Ok, Paris then", "none"})
    void topics_never_name_none(String text) {
        String out = answer(PromptId.TOPIC_FIND, Map.of("text", text, "topic_num", "3"));
        List<String> topics = LlmOutputs.topics(out);
        assertThat(topics).doesNotContain("none");
        if (topics.isEmpty()) assertThat(out).isEqualTo("<none>");
    }

    @Test
    void topic_find_on_contentless_text_answers_none_marker() {
        assertThat(answer(PromptId.TOPIC_FIND, Map.of("text", "哈哈哈", "topic_num", "3"))).isEqualTo("<none>");
        assertThat(LlmOutputs.topics("<none>")).isEmpty();
    }

    @Test
    void topic_summary_draws_the_sentence_with_time_and_speaker() {
        String out = answer(PromptId.TOPIC_SUMMARY, Map.of("text", LlmClientContract.TRANSCRIPT, "topic", "加班"));

        assertThat(out).isEqualTo("2024-05-01 12:31:00，老王说：好啊，我也想去杭州，不过周六要加班。");
    }

    @Test
    void activator_puts_message_keywords_first() {
        String out = answer(PromptId.MEMORY_ACTIVATOR, Map.of("history", LlmClientContract.TRANSCRIPT,
                "message", "西湖的门票贵吗？"));

        List<String> keywords = LlmOutputs.activatorKeywords(out);
        assertThat(keywords).first().isEqualTo("西湖");
        assertThat(keywords).contains("门票", "杭州").hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void reply_is_a_labelled_template_listing_recalled_memories() {
        String block = "以下是当前在聊天中，你回忆起的记忆：\n- 小明对花生过敏\n- 小明下周去杭州";
        String out = answer(PromptId.REPLY, Map.of("persona", "你是小助手", "memory_block", block, "history", "",
                "message", "晚饭吃什么？", "user_name", "小明"));

        assertThat(out).startsWith("[Engram 离线模式] 收到：晚饭吃什么？")
                .contains("- 小明对花生过敏\n- 小明下周去杭州")
                .doesNotContain("以下是当前在聊天中")
                .contains("模板回复");
        String none = answer(PromptId.REPLY, Map.of("persona", "", "memory_block", "", "history", "",
                "message", "hi", "user_name", "u"));
        assertThat(none).contains("没有回忆起相关的记忆");
    }

    @Test
    void answers_are_deterministic_across_calls_instances_and_threads() throws Exception {
        Map<String, String> vars = Map.of("text", LlmClientContract.TRANSCRIPT, "topic_num", "5");
        String first = answer(PromptId.TOPIC_FIND, vars);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            OfflineLlmClient onPool = new OfflineLlmClient(pool);
            List<CompletableFuture<LlmResponse>> futures = java.util.stream.IntStream.range(0, 16)
                    .mapToObj(i -> onPool.complete(prompts.request(PromptId.TOPIC_FIND, ModelSlot.UTILS_SMALL, vars)))
                    .toList();
            for (CompletableFuture<LlmResponse> f : futures) {
                assertThat(f.get().text()).isEqualTo(first);
            }
        }
        assertThat(new OfflineLlmClient().complete(prompts.request(PromptId.TOPIC_FIND, ModelSlot.UTILS, vars))
                .join().text()).isEqualTo(first);
    }

    @Test
    void reports_offline_model_and_never_touches_the_network() {
        LlmResponse r = client.complete(prompts.request(PromptId.MEMORY_NEED_BUILD, ModelSlot.UTILS,
                Map.of("text", "哈哈"))).join();

        assertThat(client.name()).isEqualTo("offline");
        assertThat(r.model()).isEqualTo(OfflineLlmClient.MODEL);
        assertThat(r.completionTokens()).isEqualTo(1);
    }
}
