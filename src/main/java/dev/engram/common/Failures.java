package dev.engram.common;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides whether a failure is worth retrying.
 *
 * <p>A failure is retriable iff, after {@link #unwrap(Throwable) unwrapping}, it is a
 * {@link RetriableException}, a {@link TimeoutException} or an {@link IOException}, or it was caused by a
 * transient database condition ({@link #isTransientDatabaseFailure}): a busy or locked SQLite file, a lost
 * connection, a serialization failure or deadlock, a pool that had no connection in time. Everything else
 * (including {@link NonRetriableException}, programming errors and {@link Error}s) is not.
 *
 * <p>Some retriable failures may recur for ever on the same input (a model that keeps answering garbage to
 * the same prompt): they implement {@link AttemptLimited}, and {@link #attemptLimit} tells the task engine
 * how many attempts in all such a failure allows, below the task type's own {@code max_attempts}.
 * Stateless and thread-safe.
 */
public final class Failures {
    /** How many causes deep {@link #isTransientDatabaseFailure} and {@link #attemptLimit} look. */
    private static final int MAX_DEPTH = 16;

    /**
     * A retriable failure worth only a few attempts: a task whose attempt {@code n} fails with it is not
     * tried again once {@code n >= maxAttempts()}, whatever its type's policy allows.
     */
    public interface AttemptLimited {
        /** @return attempts allowed in all (>= 1) for work that fails this way */
        int maxAttempts();
    }

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
        if (cause instanceof NonRetriableException) return false;
        return cause instanceof RetriableException
                || cause instanceof TimeoutException
                || cause instanceof IOException
                || isTransientDatabaseFailure(cause);
    }

    /**
     * The attempts a failure allows in all: the smallest {@link AttemptLimited#maxAttempts()} anywhere in its
     * cause chain (a wrapper keeps its cause's limit), or {@link Integer#MAX_VALUE} if nothing limits it.
     */
    public static int attemptLimit(Throwable t) {
        int limit = Integer.MAX_VALUE;
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_DEPTH; c = c.getCause(), depth++) {
            if (c instanceof AttemptLimited limited) limit = Math.min(limit, Math.max(1, limited.maxAttempts()));
            if (c.getCause() == c) break;
        }
        return limit;
    }

    /**
     * Whether a {@link SQLException} anywhere in the cause chain (a JDBI wrapper's cause, say) says the database
     * was only momentarily unavailable: {@link SQLTransientException} / {@link SQLRecoverableException}, SQLState
     * class 08 (connection), 40 (transaction rollback: serialization failure, deadlock), 53 (insufficient
     * resources), 55P03 (lock not available), or SQLite's {@code SQLITE_BUSY} / {@code SQLITE_LOCKED}.
     */
    public static boolean isTransientDatabaseFailure(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_DEPTH; c = c.getCause(), depth++) {
            if (c instanceof SQLTransientException || c instanceof SQLRecoverableException) return true;
            if (c instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.equals("55P03"))) {
                    return true;
                }
                String message = String.valueOf(sql.getMessage());
                if (message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED")
                        || message.contains("database is locked")) {
                    return true;
                }
            }
            if (c.getCause() == c) break;
        }
        return false;
    }
}
