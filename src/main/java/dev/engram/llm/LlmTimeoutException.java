package dev.engram.llm;

import dev.engram.common.RetriableException;

/** The model did not answer within its deadline (retriable). Immutable. */
public final class LlmTimeoutException extends RetriableException implements LlmException {

    private final LlmCall call;

    /**
     * @param operation the failed operation, e.g. {@code llm.memory_build}
     * @param model     the model that was asked
     * @param detail    what happened
     * @param cause     the underlying failure, may be {@code null}
     */
    public LlmTimeoutException(String operation, String model, String detail, Throwable cause) {
        super(LlmException.describe(operation, model, detail), cause, false);
        this.call = new LlmCall(operation, model);
    }

    @Override
    public LlmCall call() {
        return call;
    }
}
