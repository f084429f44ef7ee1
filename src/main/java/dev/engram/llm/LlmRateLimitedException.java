package dev.engram.llm;

import dev.engram.common.RetriableException;

import java.time.Duration;
import java.util.Optional;

/** The provider answered HTTP 429 Too Many Requests (retriable). Immutable. */
public final class LlmRateLimitedException extends RetriableException implements LlmException {

    private final LlmCall call;
    private final Duration retryAfter;

    /**
     * @param operation  the failed operation, e.g. {@code llm.memory_build}
     * @param model      the model that was asked
     * @param detail     what happened
     * @param retryAfter the provider's {@code Retry-After} hint, or {@code null} when it gave none
     */
    public LlmRateLimitedException(String operation, String model, String detail, Duration retryAfter) {
        super(LlmException.describe(operation, model, detail));
        this.call = new LlmCall(operation, model);
        this.retryAfter = retryAfter;
    }

    @Override
    public LlmCall call() {
        return call;
    }

    /** @return how long the provider asked callers to wait, when it said so */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
