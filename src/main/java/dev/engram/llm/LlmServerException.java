package dev.engram.llm;

import dev.engram.common.RetriableException;

/** The provider answered with an HTTP 5xx status (retriable). Immutable. */
public final class LlmServerException extends RetriableException implements LlmException {

    private final LlmCall call;
    private final int status;

    /**
     * @param operation the failed operation, e.g. {@code llm.memory_build}
     * @param model     the model that was asked
     * @param status    the HTTP status, 500..599
     * @param detail    what happened
     */
    public LlmServerException(String operation, String model, int status, String detail) {
        super(LlmException.describe(operation, model, "HTTP " + status + " " + detail));
        this.call = new LlmCall(operation, model);
        this.status = status;
    }

    @Override
    public LlmCall call() {
        return call;
    }

    /** @return the HTTP status the provider answered */
    public int status() {
        return status;
    }
}
