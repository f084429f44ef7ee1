package dev.engram.llm.openai.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Body of a successful chat-completions answer (non-streaming).
 *
 * @param id      provider's id of the completion
 * @param object  {@code chat.completion}
 * @param created epoch seconds
 * @param model   the model that answered
 * @param choices the answers; Engram reads the first
 * @param usage   token accounting, may be absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     Usage usage) {

    /**
     * @param index        position of this choice
     * @param message      the assistant message
     * @param finishReason why generation stopped, e.g. {@code stop} or {@code length}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Choice(int index, ChatMessage message, @JsonProperty("finish_reason") String finishReason) {
    }

    /**
     * @param promptTokens     tokens in the prompt
     * @param completionTokens tokens in the answer
     * @param totalTokens      their sum
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("completion_tokens") int completionTokens,
                        @JsonProperty("total_tokens") int totalTokens) {
    }
}
