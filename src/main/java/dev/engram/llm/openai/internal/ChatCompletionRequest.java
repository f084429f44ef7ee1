package dev.engram.llm.openai.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Body of {@code POST /chat/completions}. Engram never streams.
 *
 * @param model       the model name
 * @param messages    the conversation; Engram sends the rendered prompt as one user message
 * @param temperature sampling temperature
 * @param maxTokens   completion token limit
 * @param stream      always {@code false} from Engram
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionRequest(String model, List<ChatMessage> messages, Double temperature,
                                    @JsonProperty("max_tokens") Integer maxTokens, Boolean stream) {

    /** @return the content of the last user message, or {@code ""} */
    public String lastUserContent() {
        if (messages == null) {
            return "";
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage m = messages.get(i);
            if (m != null && "user".equals(m.role()) && m.content() != null) {
                return m.content();
            }
        }
        return "";
    }
}
