package dev.engram.llm.openai;

import dev.engram.llm.openai.internal.ChatCompletionResponse;
import dev.engram.llm.openai.internal.Json;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import dev.engram.llm.LlmExceptionMapper;
import dev.engram.llm.LlmResponse;
import dev.engram.llm.LlmResponseFormatException;

/**
 * Turns an HTTP answer of {@code /chat/completions} into an {@link LlmResponse}, or throws the classified
 * {@link LlmException}: non-2xx statuses through {@link LlmExceptionMapper}, unusable 2xx bodies as
 * {@link LlmResponseFormatException} (retriable a bounded number of times: see there). A leading {@code <think>…</think>} block (reasoning models) is removed
 * from the content. Stateless and thread-safe.
 */
final class OpenAiResponses {

    private static final Pattern THINK = Pattern.compile("^\\s*<think>.*?</think>\\s*", Pattern.DOTALL);

    private OpenAiResponses() {
    }

    static LlmResponse parse(String operation, String model, HttpResponse<byte[]> http, Duration elapsed) {
        String body = http.body() == null ? "" : new String(http.body(), StandardCharsets.UTF_8);
        int status = http.statusCode();
        if (status < 200 || status > 299) {
            throw LlmExceptionMapper.fromStatus(operation, model, status, body,
                    http.headers().firstValue("Retry-After").orElse(null));
        }
        ChatCompletionResponse parsed;
        try {
            parsed = Json.MAPPER.readValue(body, ChatCompletionResponse.class);
        } catch (IOException e) {
            throw new LlmResponseFormatException(operation, model,
                    "body is not a chat completion: " + LlmExceptionMapper.errorDetail(body), e);
        }
        if (parsed == null || parsed.choices() == null || parsed.choices().isEmpty()
                || parsed.choices().getFirst() == null || parsed.choices().getFirst().message() == null
                || parsed.choices().getFirst().message().content() == null) {
            throw new LlmResponseFormatException(operation, model,
                    "completion has no choices[0].message.content: " + LlmExceptionMapper.errorDetail(body), null);
        }
        String content = THINK.matcher(parsed.choices().getFirst().message().content()).replaceFirst("");
        ChatCompletionResponse.Usage usage = parsed.usage();
        String answeredBy = parsed.model() == null || parsed.model().isBlank() ? model : parsed.model();
        return new LlmResponse(content, answeredBy,
                usage == null ? 0 : Math.max(0, usage.promptTokens()),
                usage == null ? 0 : Math.max(0, usage.completionTokens()), elapsed);
    }
}
