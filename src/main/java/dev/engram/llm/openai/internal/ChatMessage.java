package dev.engram.llm.openai.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One message of the OpenAI chat-completions protocol.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the text; may be {@code null} in provider answers
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(String role, String content) {
}
