package dev.engram.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.common.Failures;
import dev.engram.llm.openai.internal.Json;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The one mapping from HTTP statuses and low-level throwables to {@link LlmException}s.
 * <pre>
 *   408, HttpTimeoutException, TimeoutException  → LlmTimeoutException        (retriable)
 *   429                                          → LlmRateLimitedException    (retriable)
 *   5xx                                          → LlmServerException         (retriable)
 *   other IOException                            → LlmTransportException      (retriable)
 *   other 4xx / 1xx / 3xx, anything unexpected   → LlmClientErrorException    (not retriable)
 * </pre>
 * {@link LlmResponseFormatException} (a malformed 2xx body: retriable, at most
 * {@link LlmResponseFormatException#MAX_ATTEMPTS} attempts) is raised by the response parser, not here. Stateless, thread-safe.
 */
public final class LlmExceptionMapper {

    private static final int MAX_DETAIL = 300;

    private LlmExceptionMapper() {
    }

    /**
     * @param status     a non-2xx HTTP status
     * @param body       the response body (used for the error message), may be empty
     * @param retryAfter the {@code Retry-After} header value, or {@code null}
     */
    public static RuntimeException fromStatus(String operation, String model, int status, String body, String retryAfter) {
        String detail = errorDetail(body);
        if (status == 408) {
            return new LlmTimeoutException(operation, model, "HTTP 408 " + detail, null);
        }
        if (status == 429) {
            return new LlmRateLimitedException(operation, model, "HTTP 429 rate limited: " + detail,
                    parseRetryAfter(retryAfter));
        }
        if (status >= 500 && status <= 599) {
            return new LlmServerException(operation, model, status, detail);
        }
        return new LlmClientErrorException(operation, model, status, detail, null);
    }

    /** Maps any failure of a call (possibly wrapped) to an {@link LlmException}; LLM exceptions pass through. */
    public static RuntimeException fromThrowable(String operation, String model, Throwable failure) {
        Throwable t = Failures.unwrap(failure);
        if (t instanceof LlmException llm) {
            return llm.asException();
        }
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return new LlmTimeoutException(operation, model, "no answer in time: " + t.getMessage(), t);
        }
        if (t instanceof IOException) {
            return new LlmTransportException(operation, model, "I/O failure: " + t, t);
        }
        return new LlmClientErrorException(operation, model, 0, "request failed before a response: " + t, t);
    }

    /** @return the delay in a {@code Retry-After: <seconds>} header, or {@code null} (dates are ignored) */
    public static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return the provider's {@code error.message} if the body is an OpenAI error object, else the body, cut short */
    public static String errorDetail(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String detail = body.strip();
        try {
            JsonNode node = Json.MAPPER.readTree(detail);
            JsonNode message = node == null ? null : node.path("error").path("message");
            if (message != null && message.isTextual()) {
                detail = message.asText();
            }
        } catch (IOException notJson) {
            // keep the raw body
        }
        return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "…";
    }
}
