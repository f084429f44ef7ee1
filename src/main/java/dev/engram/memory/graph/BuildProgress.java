package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a running build is. Immutable; a new instance per change.
 *
 * @param step           {@code sampling}, {@code extracting} (LLM calls in flight, steps applied as they
 *                       finish) or {@code done}
 * @param samplesPlanned sample times drawn (or history snippets found)
 * @param samplesFound   snippets found for them
 * @param samplesDone    snippets written to the graph
 * @param samplesFailed  snippets whose LLM calls or write failed
 * @param topics         topics written so far
 * @param startedAt      when the build started
 */
public record BuildProgress(String step, int samplesPlanned, int samplesFound, int samplesDone, int samplesFailed,
                            int topics, Instant startedAt) {
    public BuildProgress {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    BuildProgress withStep(String newStep) {
        return new BuildProgress(newStep, samplesPlanned, samplesFound, samplesDone, samplesFailed, topics, startedAt);
    }

    BuildProgress withFound(int planned, int found) {
        return new BuildProgress(step, planned, found, samplesDone, samplesFailed, topics, startedAt);
    }

    BuildProgress withDone(int addedTopics) {
        return new BuildProgress(step, samplesPlanned, samplesFound, samplesDone + 1, samplesFailed,
                topics + addedTopics, startedAt);
    }

    BuildProgress withFailed() {
        return new BuildProgress(step, samplesPlanned, samplesFound, samplesDone, samplesFailed + 1, topics, startedAt);
    }
}
