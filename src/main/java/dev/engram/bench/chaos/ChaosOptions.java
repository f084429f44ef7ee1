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
 * @param hotChatRounds    rounds of the opt-in hot-chat scenario ({@link HotChat})
 * @param hotChatLoadMs    mean load per hot-chat round
 */
public record ChaosOptions(Set<String> scenarios, int killRounds, int sigtermRounds, int roundLoadMs,
                           double llmFailureRate, int llmMessages, long fuzzRequests, int fuzzConcurrency,
                           int isolationChats, Duration budget, long seed, Path work, boolean keepWork,
                           int hotChatRounds, int hotChatLoadMs) {
    /** The scenarios of a run without {@code --only}. */
    public static final Set<String> ALL = Set.of("kill", "sigterm", "llm", "isolation", "fuzz");
    /** Scenarios run only when named in {@code --only}: they do not fit the default budget next to {@link #ALL}. */
    public static final Set<String> OPT_IN = Set.of("hotchat");
    public static final int HOT_CHAT_ROUNDS = 10;
    public static final int HOT_CHAT_LOAD_MS = 3_000;

    public ChaosOptions {
        scenarios = Set.copyOf(scenarios);
        if (!scenarios.stream().allMatch(x -> ALL.contains(x) || OPT_IN.contains(x))) {
            throw new IllegalArgumentException("scenarios must be among " + ALL + " or " + OPT_IN + ", got " + scenarios);
        }
        if (hotChatRounds < 0 || hotChatLoadMs < 1) throw new IllegalArgumentException("hot-chat counts must be positive");
        if (killRounds < 0 || sigtermRounds < 0 || roundLoadMs < 1 || llmMessages < 1 || fuzzRequests < 0
                || fuzzConcurrency < 1 || isolationChats < 2) {
            throw new IllegalArgumentException("counts must be positive");
        }
        if (!(llmFailureRate >= 0 && llmFailureRate <= 1)) {
            throw new IllegalArgumentException("llm failure rate must be within [0, 1], got " + llmFailureRate);
        }
        Objects.requireNonNull(budget, "budget");
    }

    /** The options without the hot-chat ones (those get their defaults). */
    public ChaosOptions(Set<String> scenarios, int killRounds, int sigtermRounds, int roundLoadMs, double llmFailureRate,
                        int llmMessages, long fuzzRequests, int fuzzConcurrency, int isolationChats, Duration budget,
                        long seed, Path work, boolean keepWork) {
        this(scenarios, killRounds, sigtermRounds, roundLoadMs, llmFailureRate, llmMessages, fuzzRequests,
                fuzzConcurrency, isolationChats, budget, seed, work, keepWork, HOT_CHAT_ROUNDS, HOT_CHAT_LOAD_MS);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
