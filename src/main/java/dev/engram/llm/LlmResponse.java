package dev.engram.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * What a model answered. Immutable.
 *
 * @param text             the assistant message content (never {@code null}, may be empty)
 * @param model            the model that answered, as reported by the provider ({@code "offline"} offline)
 * @param promptTokens     tokens in the prompt as reported (estimated offline), &gt;= 0
 * @param completionTokens tokens in the answer as reported (estimated offline), &gt;= 0
 * @param elapsed          wall time of the call including any wait for a concurrency permit, &gt;= 0
 */
public record LlmResponse(String text, String model, int promptTokens, int completionTokens, Duration elapsed) {

    public LlmResponse {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(elapsed, "elapsed");
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, were " + promptTokens + "/" + completionTokens);
        }
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed must be >= 0, was " + elapsed);
        }
    }
}
