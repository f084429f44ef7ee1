package dev.engram.llm;

import dev.engram.common.NonRetriableException;

/**
 * The provider answered with a body that is not a valid chat completion (not retriable: the same request
 * would get the same kind of answer). Immutable.
 */
public final class LlmResponseFormatException extends NonRetriableException implements LlmException {

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
}
