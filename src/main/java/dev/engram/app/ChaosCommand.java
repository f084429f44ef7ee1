package dev.engram.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.engram.bench.chaos.Chaos;
import dev.engram.bench.chaos.ChaosOptions;
import dev.engram.bench.chaos.ChaosReport;
import dev.engram.bench.chaos.JvmSpec;
import dev.engram.bench.chaos.Soak;
import dev.engram.bench.chaos.SoakOptions;
import dev.engram.bench.chaos.SoakReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engram chaos}: reproduces the reliability figures (SIGKILL and SIGTERM under load, LLM faults,
 * isolation, fuzzing) against child {@code engram serve} processes started from this jar. Fields and
 * signatures use no bench type, so building the command line (as {@code serve} does) loads no bench class.
 * Exit code 0 when every must-be-zero figure is 0, else 1. {@code --soak MINUTES} runs the soak instead
 * ({@link Soak}): exit code 0 when its verdicts hold, 1 when not, 2 for a bad soak option.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Reliability figures on this machine: SIGKILL/SIGTERM rounds under load, LLM faults, "
                + "cross-chat isolation, fuzzing. Loopback only; stops by itself.")
final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--only", split = ",", description = "Scenarios to run among kill, sigterm, llm, isolation, fuzz "
            + "(default: these five) and hotchat (opt-in: about 10 minutes on its own, so not in the default run).")
    String[] only;

    @Option(names = "--hot-chat-rounds", defaultValue = "10",
            description = "Rounds of the hotchat scenario: load with one lagging chat, SIGKILL, restart (default ${DEFAULT-VALUE}).")
    int hotChatRounds;

    @Option(names = "--hot-chat-load-ms", defaultValue = "3000",
            description = "Mean load per hotchat round in ms (default ${DEFAULT-VALUE}).")
    int hotChatLoadMs;

    @Option(names = "--kill-rounds", defaultValue = "20", description = "SIGKILL rounds (default ${DEFAULT-VALUE}).")
    int killRounds;

    @Option(names = "--sigterm-rounds", defaultValue = "20", description = "SIGTERM rounds (default ${DEFAULT-VALUE}).")
    int sigtermRounds;

    @Option(names = "--round-load-ms", defaultValue = "2000", description = "Mean load per round in ms (default ${DEFAULT-VALUE}).")
    int roundLoadMs;

    @Option(names = "--llm-failure-rate", defaultValue = "0.3", description = "Share of failing LLM calls (default ${DEFAULT-VALUE}).")
    double llmFailureRate;

    @Option(names = "--llm-messages", defaultValue = "150", description = "Messages per LLM fault phase (default ${DEFAULT-VALUE}).")
    int llmMessages;

    @Option(names = "--fuzz-requests", defaultValue = "100000", description = "Fuzz requests (default ${DEFAULT-VALUE}).")
    long fuzzRequests;

    @Option(names = "--fuzz-concurrency", defaultValue = "16", description = "Fuzz requests in flight (default ${DEFAULT-VALUE}).")
    int fuzzConcurrency;

    @Option(names = "--isolation-chats", defaultValue = "112",
            description = "Chats of the isolation run; pairs = chats × (chats − 1) less refused ids (default ${DEFAULT-VALUE}).")
    int isolationChats;

    @Option(names = "--minutes", defaultValue = "10", description = "Time budget in minutes (default ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--seed", defaultValue = "14", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work-dir", description = "Keep the children's data, configs and consoles here (default: a temporary directory, deleted).")
    Path work;

    @Option(names = "--out", description = "Write the figures as JSON to this file.")
    Path out;

    // strings, parsed in call(): a bad value is one line and exit code 2, not picocli's usage text
    @Option(names = "--soak", paramLabel = "MINUTES", description = "Run the soak instead of the scenarios: one "
            + "server under steady load with failing LLM calls for MINUTES (decimals allowed), sampling heap after GC, "
            + "RSS, threads, file descriptors, dead letters and task records.")
    String soak;

    @Option(names = "--soak-sample-seconds", defaultValue = "10", description = "Seconds between two soak samples "
            + "(default ${DEFAULT-VALUE}).")
    String soakSampleSeconds;

    @Option(names = "--soak-rate", defaultValue = "4", description = "Soak requests per second, two messages for every "
            + "POST /api/memory (default ${DEFAULT-VALUE}).")
    String soakRate;

    @Option(names = "--soak-distinct", defaultValue = "0", description = "Soak texts per chat: 0 (default) makes every "
            + "item new, so the stored data grows all along; N repeats N texts per chat, so memories de-duplicate and "
            + "only what each request leaves behind accumulates.")
    String soakDistinct;

    @Override
    public Integer call() throws Exception {
        if (soak != null) return soak();
        Set<String> scenarios = only == null ? Set.of("kill", "sigterm", "llm", "isolation", "fuzz")
                : new LinkedHashSet<>(Arrays.stream(only).map(String::strip).toList());
        ChaosOptions options;
        try {
            options = new ChaosOptions(scenarios, killRounds, sigtermRounds, roundLoadMs, llmFailureRate, llmMessages,
                    fuzzRequests, fuzzConcurrency, isolationChats, Duration.ofMinutes(minutes), seed, work, work != null,
                    hotChatRounds, hotChatLoadMs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ChaosReport report = Chaos.run(options, JvmSpec.current(Main.class.getName()), System.out);
        if (out != null) {
            Chaos.write(report, out);
            System.out.println("wrote " + out);
        }
        return report.passed() ? 0 : 1;
    }

    private int soak() throws Exception {
        SoakOptions options;
        try {
            options = SoakOptions.of(duration("--soak", soak, 60), duration("--soak-sample-seconds", soakSampleSeconds, 1),
                    llmFailureRate, number("--soak-rate", soakRate), count("--soak-distinct", soakDistinct), seed, work);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("engram chaos: " + e.getMessage());
            return 2;
        }
        SoakReport report = Soak.run(options, JvmSpec.current(Main.class.getName()), System.out);
        if (out != null) {
            Soak.write(report, out);
            System.out.println("wrote " + out);
        }
        return report.passed() ? 0 : 1;
    }

    /** {@code value} (a positive decimal) times {@code unitSeconds}. */
    private static Duration duration(String option, String value, long unitSeconds) {
        double v = number(option, value);
        if (v * unitSeconds > 7 * 86_400) {
            throw new IllegalArgumentException(option + " must be at most a week, got " + value);
        }
        return Duration.ofMillis(Math.round(v * unitSeconds * 1000));
    }

    private static int count(String option, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got \"" + value + "\"");
        }
    }

    private static double number(String option, String value) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got \"" + value + "\"");
        }
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(option + " must be positive, got " + value);
        return v;
    }
}
