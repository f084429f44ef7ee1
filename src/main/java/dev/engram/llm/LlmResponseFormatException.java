package dev.engram.llm;

import dev.engram.common.Failures;
import dev.engram.common.RetriableException;

/**
 * The provider answered with a body that is not a valid chat completion: truncated or garbage JSON, no
 * {@code choices}, no content. Often a one-off (a cut stream, a proxy error page), so it is retriable, but
 * the same prompt may keep getting such answers, so a task that fails this way gets at most
 * {@link #MAX_ATTEMPTS} attempts in all ({@link Failures.AttemptLimited}), fewer if its type allows fewer.
 * Immutable.
 */
public final class LlmResponseFormatException extends RetriableException
        implements LlmException, Failures.AttemptLimited {
    /** Attempts in all for work whose model answer was malformed. */
    public static final int MAX_ATTEMPTS = 3;

    private final LlmCall call;

    /**
     * @param operation the failed operation, e.g. {@code llm.memory_build}
     * @param model     the model that was asked
     * @param detail    what happened
     * @param cause     the underlying failure, may be {@code null}
     */
    public LlmResponseFormatException(String operation, String model, String detail, Throwable cause) {
        super(LlmException.describe(operation, model, detail), cause);
        this.call = new LlmCall(operation, model);
    }

    @Override
    public LlmCall call() {
        return call;
    }

    @Override
    public int maxAttempts() {
        return MAX_ATTEMPTS;
    }
}
