package dev.engram.common;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides whether a failure is worth retrying.
 *
 * <p>A failure is retriable iff, after {@link #unwrap(Throwable) unwrapping}, it is a
 * {@link RetriableException}, a {@link TimeoutException} or an {@link IOException}. Everything else
 * (including {@link NonRetriableException}, programming errors and {@link Error}s) is not. Stateless and
 * thread-safe.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * Strips the wrappers that asynchronous plumbing adds around the real failure.
     *
     * @param t a failure, possibly a {@link CompletionException} or {@link ExecutionException} (nested any
     *          number of times)
     * @return the first throwable that is not such a wrapper, or the innermost wrapper if it has no cause;
     *         {@code null} only if {@code t} is {@code null}
     */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * @param t a failure, possibly wrapped; {@code null} is not retriable
     * @return whether the task engine should try the work again
     */
    public static boolean isRetriable(Throwable t) {
        Throwable cause = unwrap(t);
        return cause instanceof RetriableException
                || cause instanceof TimeoutException
                || cause instanceof IOException;
    }
}
