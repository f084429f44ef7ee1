package dev.engram.llm;

import java.util.Map;
import java.util.Objects;

/**
 * One call to a language model: which prompt, which model slot, the variables it was rendered from and
 * the rendered text. Implementations that talk to a real model send {@code renderedPrompt}; the offline
 * implementation computes the contract from {@code variables}. Build it with
 * {@link Prompts#request(PromptId, ModelSlot, Map)}. Immutable.
 *
 * @param prompt         which prompt (and therefore which output contract)
 * @param slot           which configured model answers
 * @param variables      the placeholder values (copied; no null keys or values)
 * @param renderedPrompt the template with every placeholder replaced; not blank
 * @param temperature    sampling temperature, 0..2
 * @param maxTokens      completion token limit, &gt; 0
 */
public record LlmRequest(PromptId prompt, ModelSlot slot, Map<String, String> variables, String renderedPrompt,
                         double temperature, int maxTokens) {

    public LlmRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(renderedPrompt, "renderedPrompt");
        variables = Map.copyOf(variables);
        if (renderedPrompt.isBlank()) {
            throw new IllegalArgumentException("renderedPrompt must not be blank");
        }
        if (!(temperature >= 0.0 && temperature <= 2.0)) {
            throw new IllegalArgumentException("temperature must be within 0..2, was " + temperature);
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be > 0, was " + maxTokens);
        }
    }

    /**
     * @param name a variable name
     * @return its value, or {@code ""} when the request has no such variable
     */
    public String variable(String name) {
        return variables.getOrDefault(name, "");
    }
}
