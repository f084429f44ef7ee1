package dev.engram.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LlmOutputsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", " 1\n", "\"1\"", "`1`", "1。", "是", "yes", "True", "```\n1\n```", "输出：1",
            "1\n因为对方说了自己的生日", "{\"need_memory\": 1}", "{'answer': true}", "{\"result\": \"1\"}",
            "<think>hmm 0 or 1</think>\n1"})
    void reads_a_yes_judgement(String answer) {
        assertThat(LlmOutputs.needBuild(answer)).contains(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0。", "否", "no", "不需要", "{\"need_memory\": 0}", "Answer: 0"})
    void reads_a_no_judgement(String answer) {
        assertThat(LlmOutputs.needBuild(answer)).contains(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "我觉得有1点值得记住", "评分：0.1", "", "不好说", "{\"need_memory\": 2}", "1 or 0",
            "不需要，评分0/1"})
    void does_not_read_a_one_that_is_merely_contained(String answer) {
        assertThat(LlmOutputs.needBuild(answer)).isEmpty();
    }

    @Test
    void no_answer_is_no_judgement() {
        assertThat(LlmOutputs.needBuild(null)).isEmpty();
    }

    @Test
    void reads_a_clean_memory_object_and_splits_keywords_on_every_separator() {
        var built = one("{\"memory_text\": \"小林对花生过敏\", \"keywords\": \"小林/花生, 过敏、忌口\"}");

        assertThat(built.fact()).isEqualTo("小林对花生过敏");
        assertThat(built.keywords()).containsExactly("小林", "花生", "过敏", "忌口");
    }

    @Test
    void built_memory_tolerates_fences_single_quotes_duplicates_and_arrays() {
        var m = one("```json\n{'memory_text': '小明对花生过敏', 'keywords': '花生/过敏/花生',}\n```");
        assertThat(m.fact()).isEqualTo("小明对花生过敏");
        assertThat(m.keywords()).containsExactly("花生", "过敏");
        assertThat(one("{\"memory_text\": \"x\", \"keywords\": [\"a\", \" b \"]}").keywords()).containsExactly("a", "b");
    }

    @Test
    void repairs_near_json_from_a_chatty_model() {
        String answer = """
                好的，下面是提取结果：
                ```json
                {memory_text: '阿哲买烤箱花了599元', keywords: ['阿哲', '烤箱', "599元"],}
                ```
                希望有帮助！""";

        var built = one(answer);

        assertThat(built.fact()).isEqualTo("阿哲买烤箱花了599元");
        assertThat(built.keywords()).containsExactly("阿哲", "烤箱", "599元");
    }

    @Test
    void repairs_curly_quotes_and_full_width_punctuation() {
        var built = one("{“memory_text”：“Owen's dad retired”，“keywords”：“Owen/retirement”}");

        assertThat(built.fact()).isEqualTo("Owen's dad retired");
    }

    @Test
    void closes_an_object_the_model_cut_off() {
        var built = one("{\"memory_text\": \"Nadia works nights\", \"keywords\": \"Nadia/nights\"");

        assertThat(built.keywords()).isEqualTo(List.of("Nadia", "nights"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"没有值得记忆的内容", "没有JSON", "{\"memory_text\": \"\", \"keywords\": \"a\"}",
            "{\"memory_text\": \"  \"}", "[1, 2]", "{\"keywords\": \"a/b\"}", "{\"facts\": \"小林对花生过敏\"}"})
    void rejects_answers_without_facts_or_a_memory_text(String answer) {
        assertThat(LlmOutputs.facts(answer)).isEmpty();
    }

    @Test
    void reads_facts_with_speaker_time_and_keywords_and_drops_blank_repeated_and_overlong_ones() {
        String answer = """
                <think>小林说了三件事</think>
                ```json
                {"facts": [
                  {"speaker": "小林", "fact": "小林对花生过敏", "time": "", "keywords": ["花生", "过敏"]},
                  {"speaker": "小林", "fact": "小林 2026-12-09（周三）去上海出差", "time": "2026-12-09（周三）"},
                  {"speaker": "小林", "fact": "小林对花生过敏"},
                  {"speaker": "小林", "fact": "  "},
                  {"speaker": "小林", "fact": "%s"},
                  {"speaker": "小林", "fact": "小林想去东京", "time": "下个月"},
                  "小林最喜欢的电影是《千与千寻》",
                ]}
                ```""".formatted("长".repeat(LlmOutputs.MAX_FACT_CHARS + 1));

        var facts = LlmOutputs.facts(answer).orElseThrow();

        assertThat(facts).extracting(LlmOutputs.ExtractedFact::fact).containsExactly("小林对花生过敏",
                "小林 2026-12-09（周三）去上海出差", "小林想去东京", "小林最喜欢的电影是《千与千寻》");
        assertThat(facts).extracting(LlmOutputs.ExtractedFact::time).containsExactly("", "2026-12-09", "", "");
        assertThat(facts.getFirst().speaker()).isEqualTo("小林");
        assertThat(facts.getFirst().keywords()).containsExactly("花生", "过敏");
    }

    @Test
    void an_empty_fact_list_is_a_readable_answer_with_nothing_to_remember() {
        assertThat(LlmOutputs.facts("{\"facts\": []}")).hasValue(List.of());
    }

    private static LlmOutputs.ExtractedFact one(String answer) {
        var facts = LlmOutputs.facts(answer).orElseThrow();
        assertThat(facts).hasSize(1);
        return facts.getFirst();
    }

    @Test
    void parses_a_memory_query() {
        var fenced = LlmOutputs.memoryQuery("```json\n{\"need_memory\": 1, \"keywords\": \"猫/名字\", \"time\": \"昨天\"}\n```");
        var chatty = LlmOutputs.memoryQuery("好的：{\"need_memory\": 1, \"keywords\": \"杭州/西湖\", \"time\": \"昨天\"}");

        assertThat(fenced).contains(new LlmOutputs.MemoryQuery(true, List.of("猫", "名字"), "昨天"));
        assertThat(chatty).contains(new LlmOutputs.MemoryQuery(true, List.of("杭州", "西湖"), "昨天"));
    }

    @Test
    void a_memory_query_without_the_flag_needs_memory_when_it_has_keywords() {
        assertThat(LlmOutputs.memoryQuery("{'keywords': 'Owen/dad'}"))
                .contains(new LlmOutputs.MemoryQuery(true, List.of("Owen", "dad"), ""));
        assertThat(LlmOutputs.memoryQuery("{\"need_memory\": 0, \"keywords\": \"\"}"))
                .contains(new LlmOutputs.MemoryQuery(false, List.of(), ""));
        assertThat(LlmOutputs.memoryQuery("{\"need_memory\": \"0\"}"))
                .hasValueSatisfying(q -> assertThat(q.needMemory()).isFalse());
        assertThat(LlmOutputs.memoryQuery("no idea")).isEqualTo(Optional.empty());
    }

    @Test
    void topics_split_on_commas_not_spaces_and_never_none() {
        assertThat(LlmOutputs.topics("<New York>,<西湖，龙井>、<none>")).containsExactly("New York", "西湖", "龙井");
        assertThat(LlmOutputs.topics("<think><想想></think><none>")).isEmpty();
        assertThat(LlmOutputs.topics("no brackets")).isEmpty();
    }

    @Test
    void activator_keywords_and_sentences() {
        assertThat(LlmOutputs.activatorKeywords("{\"keywords\": [\"杭州\", \"杭州\", \"西湖\"]}"))
                .containsExactly("杭州", "西湖");
        assertThat(LlmOutputs.sentence("“小明下周去杭州。”")).isEqualTo("小明下周去杭州。");
    }
}
