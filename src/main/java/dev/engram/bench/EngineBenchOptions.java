package dev.engram.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link EngineBench} runs.
 *
 * @param mix           which tasks: durable stores (outbox on SQLite) or in-memory tasks
 * @param tasks         tasks of the throughput phase (submitted as fast as possible)
 * @param submitters    threads submitting in the throughput phase
 * @param chats         chats the stores are spread over (per-chat FIFO limits parallelism per chat)
 * @param latencyRate   tasks per second in the latency phase (paced, below saturation)
 * @param latencyPhase  how long the latency phase submits
 * @param warmupTasks   tasks run and discarded before measuring (JIT warm-up)
 * @param dataDir       where the SQLite file goes; {@code null} for a temporary directory deleted after
 */
public record EngineBenchOptions(Mix mix, int tasks, int submitters, int chats, int latencyRate,
                                 Duration latencyPhase, int warmupTasks, Path dataDir) {
    /** The kind of tasks submitted. */
    public enum Mix {
        /** Store tasks: outbox write before acknowledgement, removal after, per-chat FIFO. */
        DURABLE,
        /** Retrieve tasks submitted directly: scheduling, lanes and workers without any database write. */
        IN_MEMORY
    }

    public EngineBenchOptions {
        Objects.requireNonNull(mix, "mix");
        if (tasks < 1) throw new IllegalArgumentException("tasks must be >= 1 (was " + tasks + ")");
        if (submitters < 1) throw new IllegalArgumentException("submitters must be >= 1 (was " + submitters + ")");
        if (chats < 1) throw new IllegalArgumentException("chats must be >= 1 (was " + chats + ")");
        if (latencyRate < 1) throw new IllegalArgumentException("latency_rate must be >= 1 (was " + latencyRate + ")");
        Objects.requireNonNull(latencyPhase, "latencyPhase");
        if (!latencyPhase.isPositive()) throw new IllegalArgumentException("latency_phase must be > 0");
        if (warmupTasks < 0) throw new IllegalArgumentException("warmup_tasks must be >= 0 (was " + warmupTasks + ")");
    }

    /** The defaults of {@code engram bench engine}: 200k tasks from 8 threads, 2k/s for 5 s. */
    public static EngineBenchOptions defaults(Mix mix) {
        return new EngineBenchOptions(mix, 200_000, 8, 256, 2_000, Duration.ofSeconds(5), 50_000, null);
    }
}
