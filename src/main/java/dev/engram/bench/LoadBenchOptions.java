package dev.engram.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link LoadBench} runs: C users across K chats against Engram over real HTTP, with a fake LLM
 * whose reply calls take ~N(replyMean, replySd) and memory calls uniform(memoryMin, memoryMax).
 *
 * @param users       concurrent users (each sends, waits for the reply, thinks, repeats)
 * @param chats       chats the users are spread over
 * @param duration    measured run per mode (after the warm-up)
 * @param warmup      first part of each run, not measured
 * @param think       mean think time between a reply and the user's next message
 * @param buildAt     when the memory build is triggered, as a fraction of the measured run
 * @param failureRate share of LLM calls that fail with HTTP 500
 * @param devSet      LoCoMo-format file the messages are drawn from; null = the dev set shipped with Engram
 * @param out         directory for bench-result.json and bench-report.html; null = none
 */
public record LoadBenchOptions(int users, int chats, Duration duration, Duration warmup, Duration think,
                               Duration replyMean, Duration replySd, Duration memoryMin, Duration memoryMax,
                               double buildAt, double failureRate, Path devSet, Path out) {
    public LoadBenchOptions {
        if (users < 1 || chats < 1) throw new IllegalArgumentException("users and chats must be >= 1");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        if (!(buildAt > 0 && buildAt < 1)) throw new IllegalArgumentException("build_at must be in (0, 1)");
        if (!(failureRate >= 0 && failureRate < 1)) throw new IllegalArgumentException("failure_rate must be in [0, 1)");
    }

    /** 50 users over 10 chats, 60 s per mode after 10 s of warm-up: under 5 minutes in all. */
    public static LoadBenchOptions defaults(Path devSet) {
        return new LoadBenchOptions(50, 10, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMillis(800), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(3), 0.3, 0.0,
                devSet, null);
    }
}
