package dev.engram.llm;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.engram.text.TextAnalysis;

class PromptsTest {

    private static final Map<PromptId, Set<String>> CONTRACT_VARIABLES = Map.of(
            PromptId.REPLY, Set.of("persona", "memory_block", "history", "message", "user_name"),
            PromptId.MEMORY_NEED_BUILD, Set.of("text"),
            PromptId.MEMORY_BUILD, Set.of("history", "text"),
            PromptId.MEMORY_QUERY, Set.of("text", "now"),
            PromptId.TOPIC_FIND, Set.of("text", "topic_num"),
            PromptId.TOPIC_SUMMARY, Set.of("text", "topic"),
            PromptId.MEMORY_ACTIVATOR, Set.of("history", "message"));

    private final Prompts prompts = Prompts.loadDefault();

    @Test
    void every_prompt_has_a_chinese_template_with_exactly_its_contract_variables() {
        for (PromptId id : PromptId.values()) {
            assertThat(prompts.template(id)).as(id.resource()).isNotBlank();
            assertThat(TextAnalysis.hasCjk(prompts.template(id))).as(id.resource()).isTrue();
            assertThat(prompts.variables(id)).as(id.resource()).containsExactlyInAnyOrderElementsOf(
                    CONTRACT_VARIABLES.get(id));
        }
    }

    @Test
    void renders_placeholders_once_and_keeps_json_braces() {
        LlmRequest r = prompts.request(PromptId.MEMORY_BUILD, ModelSlot.UTILS, Map.of("history", "（无）", "text", "我叫{text}，住在北京"));

        assertThat(r.renderedPrompt()).contains("我叫{text}，住在北京").contains("{\"facts\"");
        assertThat(r.variables()).containsEntry("text", "我叫{text}，住在北京");
        assertThat(r.temperature()).isEqualTo(PromptId.MEMORY_BUILD.defaultTemperature());
        assertThat(r.maxTokens()).isEqualTo(PromptId.MEMORY_BUILD.defaultMaxTokens());
    }

    @Test
    void missing_variable_fails_with_a_message_naming_prompt_and_variable() {
        assertThatThrownBy(() -> prompts.request(PromptId.MEMORY_QUERY, ModelSlot.UTILS, Map.of("text", "hi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory_query")
                .hasMessageContaining("{now}")
                .hasMessageContaining("missing");
        Map<String, String> withNull = new HashMap<>();
        withNull.put("text", null);
        withNull.put("history", "（无）");
        assertThatThrownBy(() -> prompts.render(PromptId.MEMORY_BUILD, withNull))
                .hasMessageContaining("{text}").hasMessageContaining("null");
    }

    @Test
    void custom_templates_must_cover_every_prompt() {
        Map<PromptId, String> partial = new EnumMap<>(PromptId.class);
        partial.put(PromptId.REPLY, "{message}");
        assertThatThrownBy(() -> Prompts.of(partial)).hasMessageContaining("no template for prompt");
    }

    @Test
    void request_validates_its_fields() {
        assertThatThrownBy(() -> new LlmRequest(PromptId.REPLY, ModelSlot.REPLY, Map.of(), " ", 0.5, 10))
                .hasMessageContaining("renderedPrompt");
        assertThatThrownBy(() -> new LlmRequest(PromptId.REPLY, ModelSlot.REPLY, Map.of(), "x", 3.0, 10))
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> new LlmRequest(PromptId.REPLY, ModelSlot.REPLY, Map.of(), "x", 0.5, 0))
                .hasMessageContaining("maxTokens");
    }
}
