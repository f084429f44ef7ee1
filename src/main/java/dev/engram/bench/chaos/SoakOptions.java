package dev.engram.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code engram chaos --soak MINUTES} runs: one server under steady load, its LLM failing a share of the
 * calls, sampled every {@link #sampleInterval()} for {@link #duration()}.
 *
 * @param duration          how long the load runs (and samples are taken)
 * @param sampleInterval    time between two samples
 * @param llmFailureRate    share of failing LLM calls (every model)
 * @param requestsPerSecond load aimed at, two messages for every {@code POST /api/memory}
 * @param clients           concurrent load clients (at most this many requests in flight)
 * @param chats             chats the load is spread over
 * @param distinct          0: every item is new, so the stored data (memories, the graph) grows all along; N: each
 *                          chat's items are drawn from N texts, so memories de-duplicate and the data stops
 *                          growing, leaving what accumulates per request (failures, statuses, dead letters)
 * @param deadLetterMax     the server's {@code tasks.dead_letter_max}
 * @param statusMaxEntries  the server's {@code tasks.status_max_entries}
 * @param seed              seed of every random choice
 * @param work              work directory (the child's data, config and console), null for a temporary one
 * @param keepWork          whether the work directory is kept afterwards
 */
public record SoakOptions(Duration duration, Duration sampleInterval, double llmFailureRate, double requestsPerSecond,
                          int clients, int chats, int distinct, int deadLetterMax, int statusMaxEntries, long seed, Path work,
                          boolean keepWork) {
    /**
     * The command's soak: {@code requestsPerSecond} from 16 clients over 24 chats (stores run one per chat at a
     * time, so many chats let them keep up), at most 25 dead letters and 200 finished statuses per task type.
     */
    public static SoakOptions of(Duration duration, Duration sampleInterval, double llmFailureRate,
                                 double requestsPerSecond, int distinct, long seed, Path work) {
        return new SoakOptions(duration, sampleInterval, llmFailureRate, requestsPerSecond, 16, 24, distinct, 25, 200,
                seed, work, work != null);
    }

    public SoakOptions {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("--soak must be positive");
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("--soak-sample-seconds must be positive");
        }
        if (duration.compareTo(sampleInterval.multipliedBy(4)) < 0) {
            throw new IllegalArgumentException("--soak must last at least 4 sample intervals (" + sampleInterval.toSeconds()
                    + " s each): a warm-up and three thirds to compare, got " + duration.toSeconds() + " s");
        }
        if (!(llmFailureRate >= 0 && llmFailureRate <= 1)) {
            throw new IllegalArgumentException("llm failure rate must be within [0, 1], got " + llmFailureRate);
        }
        if (distinct < 0) throw new IllegalArgumentException("--soak-distinct must be 0 or more, got " + distinct);
        if (!(requestsPerSecond > 0) || clients < 1 || chats < 1 || deadLetterMax < 1 || statusMaxEntries < 1) {
            throw new IllegalArgumentException("--soak-rate and the soak's counts must be positive");
        }
    }
}
