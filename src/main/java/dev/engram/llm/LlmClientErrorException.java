package dev.engram.llm;

import dev.engram.common.NonRetriableException;

/**
 * The request was refused and would be refused again: HTTP 4xx other than 408/429 (bad request, rejected
 * credentials, unknown model…), or a request that could not even be built ({@link #status()} 0). Not
 * retriable. Immutable.
 */
public final class LlmClientErrorException extends NonRetriableException implements LlmException {

    private final LlmCall call;
    private final int status;

    /**
     * @param operation the failed operation, e.g. {@code llm.memory_build}
     * @param model     the model that was asked
     * @param status    the HTTP status, or 0 when the request was rejected before it was sent
     * @param detail    what happened
     * @param cause     the underlying failure, may be {@code null}
     */
    public LlmClientErrorException(String operation, String model, int status, String detail, Throwable cause) {
        super(LlmException.describe(operation, model, (status > 0 ? "HTTP " + status + " " : "") + detail), cause);
        this.call = new LlmCall(operation, model);
        this.status = status;
    }

    @Override
    public LlmCall call() {
        return call;
    }

    /** @return the HTTP status the provider answered, or 0 when nothing was sent */
    public int status() {
        return status;
    }
}
