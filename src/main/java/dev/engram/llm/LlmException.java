package dev.engram.llm;

/**
 * A failed LLM call, classified. Every implementation is a {@link RuntimeException} and extends either
 * {@link dev.engram.common.RetriableException} ({@link LlmTimeoutException}, {@link LlmRateLimitedException},
 * {@link LlmServerException}, {@link LlmTransportException}, and {@link LlmResponseFormatException} for a
 * bounded number of attempts) or {@link dev.engram.common.NonRetriableException}
 * ({@link LlmClientErrorException}), so the task engine's retry decision is a type check. The set is
 * closed, so a {@code switch} over it is exhaustive. Instances are immutable.
 */
public sealed interface LlmException permits LlmTimeoutException, LlmRateLimitedException, LlmServerException,
        LlmTransportException, LlmClientErrorException, LlmResponseFormatException {

    /** @return which call failed */
    LlmCall call();

    /** @return the operation that failed, {@code llm.<prompt key>}, e.g. {@code llm.memory_build} */
    default String operation() {
        return call().operation();
    }

    /** @return the model that was asked */
    default String model() {
        return call().model();
    }

    /** @return whether trying again later may succeed */
    default boolean retriable() {
        return this instanceof dev.engram.common.RetriableException;
    }

    /** @return this failure as the exception it is */
    default RuntimeException asException() {
        return (RuntimeException) this;
    }

    /** Builds the common message prefix {@code "<operation> [<model>]: "}. */
    static String describe(String operation, String model, String detail) {
        return operation + " [" + model + "]: " + detail;
    }
}
