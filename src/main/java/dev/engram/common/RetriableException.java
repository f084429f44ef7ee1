package dev.engram.common;

/**
 * A failure that may succeed if the same work is tried again later: timeouts, rate limiting (HTTP 429),
 * server errors (5xx), broken connections.
 *
 * <p>Components never retry by themselves; they throw (or complete a future with) a subclass of this
 * exception and the task engine decides, by {@link Failures#isRetriable(Throwable)}, to reschedule.
 * Instances are immutable and safe to share between threads.
 */
public class RetriableException extends RuntimeException {

    /**
     * @param message what failed, including the operation name
     * @param cause   the underlying failure, may be {@code null}
     */
    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed, including the operation name */
    public RetriableException(String message) {
        super(message);
    }

    /**
     * For frequent, expected failures (e.g. timeouts under load) whose stack trace carries no information.
     *
     * @param message            what failed
     * @param cause              the underlying failure, may be {@code null}
     * @param writableStackTrace {@code false} to skip filling in the stack trace
     */
    protected RetriableException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
