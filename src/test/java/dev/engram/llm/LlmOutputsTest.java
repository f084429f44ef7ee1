package dev.engram.llm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LlmOutputsTest {

    @Test
    void need_build_requires_a_leading_one() {
        assertThat(LlmOutputs.needBuild(" 1")).isTrue();
        assertThat(LlmOutputs.needBuild("<think>hmm 0 or 1</think>\n1")).isTrue();
        assertThat(LlmOutputs.needBuild("0")).isFalse();
        assertThat(LlmOutputs.needBuild("不需要，评分0/1")).isFalse();
        assertThat(LlmOutputs.needBuild(null)).isFalse();
    }

    @Test
    void built_memory_tolerates_fences_single_quotes_and_arrays() {
        assertThat(LlmOutputs.builtMemory("```json\n{'memory_text': '小明对花生过敏', 'keywords': '花生/过敏/花生',}\n```"))
                .hasValueSatisfying(m -> {
                    assertThat(m.memoryText()).isEqualTo("小明对花生过敏");
                    assertThat(m.keywords()).containsExactly("花生", "过敏");
                });
        assertThat(LlmOutputs.builtMemory("{\"memory_text\": \"x\", \"keywords\": [\"a\", \" b \"]}"))
                .hasValueSatisfying(m -> assertThat(m.keywords()).containsExactly("a", "b"));
        assertThat(LlmOutputs.builtMemory("{\"memory_text\": \"  \"}")).isEmpty();
        assertThat(LlmOutputs.builtMemory("没有JSON")).isEmpty();
    }

    @Test
    void memory_query_reads_need_keywords_and_time() {
        assertThat(LlmOutputs.memoryQuery("好的：{\"need_memory\": 1, \"keywords\": \"杭州/西湖\", \"time\": \"昨天\"}"))
                .hasValueSatisfying(q -> {
                    assertThat(q.needMemory()).isTrue();
                    assertThat(q.keywords()).containsExactly("杭州", "西湖");
                    assertThat(q.time()).isEqualTo("昨天");
                });
        assertThat(LlmOutputs.memoryQuery("{\"need_memory\": \"0\"}"))
                .hasValueSatisfying(q -> assertThat(q.needMemory()).isFalse());
    }

    @Test
    void topics_split_on_commas_not_spaces_and_never_none() {
        assertThat(LlmOutputs.topics("<New York>,<西湖，龙井>、<none>")).containsExactly("New York", "西湖", "龙井");
        assertThat(LlmOutputs.topics("<none>")).isEmpty();
        assertThat(LlmOutputs.topics("no brackets")).isEmpty();
    }

    @Test
    void activator_keywords_and_sentences() {
        assertThat(LlmOutputs.activatorKeywords("{\"keywords\": [\"杭州\", \"杭州\", \"西湖\"]}"))
                .containsExactly("杭州", "西湖");
        assertThat(LlmOutputs.sentence("“小明下周去杭州。”")).isEqualTo("小明下周去杭州。");
    }
}
