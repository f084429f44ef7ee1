package dev.engram.common;

/**
 * A failure that will fail again if the same work is repeated: invalid requests (HTTP 4xx), rejected
 * credentials, validation errors.
 *
 * <p>The task engine never retries these; the task fails (and is dead-lettered) at once. Instances are
 * immutable and safe to share between threads.
 */
public class NonRetriableException extends RuntimeException {

    /**
     * @param message what failed, including the operation name
     * @param cause   the underlying failure, may be {@code null}
     */
    public NonRetriableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed, including the operation name */
    public NonRetriableException(String message) {
        super(message);
    }
}
