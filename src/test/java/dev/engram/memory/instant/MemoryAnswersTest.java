package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryAnswersTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", " 1\n", "\"1\"", "`1`", "1。", "是", "yes", "True", "```\n1\n```", "输出：1",
            "1\n因为对方说了自己的生日", "{\"need_memory\": 1}", "{'answer': true}", "{\"result\": \"1\"}"})
    void reads_a_yes_judgement(String answer) {
        assertThat(MemoryAnswers.needBuild(answer)).contains(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0。", "否", "no", "不需要", "{\"need_memory\": 0}", "Answer: 0"})
    void reads_a_no_judgement(String answer) {
        assertThat(MemoryAnswers.needBuild(answer)).contains(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "我觉得有1点值得记住", "评分：0.1", "", "不好说", "{\"need_memory\": 2}", "1 or 0"})
    void does_not_read_a_one_that_is_merely_contained(String answer) {
        assertThat(MemoryAnswers.needBuild(answer)).isEmpty();
    }

    @Test
    void reads_a_clean_memory_object_and_splits_keywords_on_every_separator() {
        var built = MemoryAnswers.built("{\"memory_text\": \"小林对花生过敏\", \"keywords\": \"小林/花生, 过敏、忌口\"}");

        assertThat(built).get().extracting(MemoryAnswers.Built::text).isEqualTo("小林对花生过敏");
        assertThat(built.get().keywords()).containsExactly("小林", "花生", "过敏", "忌口");
    }

    @Test
    void repairs_near_json_from_a_chatty_model() {
        String answer = """
                好的，下面是提取结果：
                ```json
                {memory_text: '阿哲买烤箱花了599元', keywords: ['阿哲', '烤箱', "599元"],}
                ```
                希望有帮助！""";

        var built = MemoryAnswers.built(answer).orElseThrow();

        assertThat(built.text()).isEqualTo("阿哲买烤箱花了599元");
        assertThat(built.keywords()).containsExactly("阿哲", "烤箱", "599元");
    }

    @Test
    void repairs_curly_quotes_and_full_width_punctuation() {
        var built = MemoryAnswers.built("{“memory_text”：“Owen's dad retired”，“keywords”：“Owen/retirement”}");

        assertThat(built).get().extracting(MemoryAnswers.Built::text).isEqualTo("Owen's dad retired");
    }

    @Test
    void closes_an_object_the_model_cut_off() {
        var built = MemoryAnswers.built("{\"memory_text\": \"Nadia works nights\", \"keywords\": \"Nadia/nights\"");

        assertThat(built).get().extracting(MemoryAnswers.Built::keywords).isEqualTo(List.of("Nadia", "nights"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"没有值得记忆的内容", "{\"memory_text\": \"\", \"keywords\": \"a\"}", "[1, 2]",
            "{\"keywords\": \"a/b\"}"})
    void rejects_answers_without_a_memory_text(String answer) {
        assertThat(MemoryAnswers.built(answer)).isEmpty();
    }

    @Test
    void parses_a_memory_query_intent() {
        var intent = QueryIntent.parse("```json\n{\"need_memory\": 1, \"keywords\": \"猫/名字\", \"time\": \"昨天\"}\n```");

        assertThat(intent).contains(new QueryIntent(true, List.of("猫", "名字"), "昨天"));
    }

    @Test
    void a_query_intent_without_the_flag_needs_memory_when_it_has_keywords() {
        assertThat(QueryIntent.parse("{'keywords': 'Owen/dad'}")).contains(new QueryIntent(true, List.of("Owen", "dad"), ""));
        assertThat(QueryIntent.parse("{\"need_memory\": 0, \"keywords\": \"\"}")).contains(new QueryIntent(false, List.of(), ""));
        assertThat(QueryIntent.parse("no idea")).isEqualTo(Optional.empty());
    }
}
