package dev.engram.llm;

import dev.engram.common.RetriableException;

/**
 * The request could not be sent or its answer could not be read: an I/O failure such as a refused or reset
 * connection (retriable). Immutable.
 */
public final class LlmTransportException extends RetriableException implements LlmException {

    private final LlmCall call;

    /**
     * @param operation the failed operation, e.g. {@code llm.memory_build}
     * @param model     the model that was asked
     * @param detail    what happened
     * @param cause     the underlying failure, may be {@code null}
     */
    public LlmTransportException(String operation, String model, String detail, Throwable cause) {
        super(LlmException.describe(operation, model, detail), cause);
        this.call = new LlmCall(operation, model);
    }

    @Override
    public LlmCall call() {
        return call;
    }
}
