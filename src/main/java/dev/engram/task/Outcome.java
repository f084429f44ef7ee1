package dev.engram.task;

import java.time.Duration;

/** How one attempt ended, as decided by {@link JobRunner}; applied by {@link OutcomeApplier}. */
sealed interface Outcome {
    /** @param value the retrieval's result ({@code null} for other types) */
    record Succeeded(Object value) implements Outcome {
    }

    /** A retriable failure with attempts left: try again after {@code delay}. */
    record Retry(Throwable cause, Duration delay) implements Outcome {
    }

    /** A non-retriable failure. */
    record Failed(Throwable cause) implements Outcome {
    }

    /** A retriable failure on the last allowed attempt. */
    record Dead(Throwable cause) implements Outcome {
    }

    /** The engine stopped the attempt (shutdown past the drain deadline). */
    record Cancelled(String reason) implements Outcome {
    }
}
