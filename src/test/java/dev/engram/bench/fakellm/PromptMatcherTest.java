package dev.engram.bench.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;

class PromptMatcherTest {
    private final Prompts prompts = Prompts.loadDefault();
    private final PromptMatcher matcher = new PromptMatcher(prompts);

    @Test
    void recognizes_a_rendered_prompt_and_recovers_its_variables() {
        Map<String, String> vars = Map.of("text", "12:00:01, 小明 :\n我下周去杭州\n<x>", "topic_num", "4");
        String rendered = prompts.render(PromptId.TOPIC_FIND, vars);

        assertThat(matcher.match(rendered)).hasValueSatisfying(m -> {
            assertThat(m.id()).isEqualTo(PromptId.TOPIC_FIND);
            assertThat(m.variables()).isEqualTo(vars);
        });
        assertThat(matcher.match("随便说点什么")).isEmpty();
    }
}
