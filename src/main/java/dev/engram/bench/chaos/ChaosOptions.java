package dev.engram.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code engram chaos} runs (its defaults, those of the reliability issue's done-when, are the command's).
 * A scenario that runs out of its share of {@link #budget()} stops early and says so in the report.
 *
 * @param scenarios        which of {@link #ALL} to run
 * @param killRounds       SIGKILL rounds
 * @param sigtermRounds    SIGTERM rounds
 * @param roundLoadMs      mean load per round (drawn from half to one and a half times it)
 * @param llmFailureRate   share of failing LLM calls
 * @param llmMessages      messages per LLM fault phase
 * @param fuzzRequests     fuzz requests
 * @param fuzzConcurrency  fuzz requests in flight
 * @param isolationChats   chats of the isolation run (pairs ≈ chats²)
 * @param budget           wall time the run aims to stay within
 * @param seed             seed of every random choice
 * @param work             work directory (children's data, configs and consoles), null for a temporary one
 * @param keepWork         whether the work directory is kept afterwards
 */
public record ChaosOptions(Set<String> scenarios, int killRounds, int sigtermRounds, int roundLoadMs,
                           double llmFailureRate, int llmMessages, long fuzzRequests, int fuzzConcurrency,
                           int isolationChats, Duration budget, long seed, Path work, boolean keepWork) {
    public static final Set<String> ALL = Set.of("kill", "sigterm", "llm", "isolation", "fuzz");

    public ChaosOptions {
        scenarios = Set.copyOf(scenarios);
        if (!ALL.containsAll(scenarios)) throw new IllegalArgumentException("scenarios must be among " + ALL
                + ", got " + scenarios);
        if (killRounds < 0 || sigtermRounds < 0 || roundLoadMs < 1 || llmMessages < 1 || fuzzRequests < 0
                || fuzzConcurrency < 1 || isolationChats < 2) {
            throw new IllegalArgumentException("counts must be positive");
        }
        if (!(llmFailureRate >= 0 && llmFailureRate <= 1)) {
            throw new IllegalArgumentException("llm failure rate must be within [0, 1], got " + llmFailureRate);
        }
        Objects.requireNonNull(budget, "budget");
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
