package dev.engram.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Every tunable of the task engine, validated at construction; {@link #defaults()} is the one place the
 * defaults live. Field names map onto the {@code [tasks]} section of {@code config.toml} (snake case).
 *
 * @param workerPermits          tasks running at once, all lanes together
 * @param reservedInteractive    of those, permits only the interactive lane may use
 * @param interactiveConcurrency retrievals running at once
 * @param interactiveQueueBound  retrievals waiting; beyond it a retrieval is answered at once, skipped
 * @param ingestConcurrency      stores running at once (at most one per chat)
 * @param ingestQueueBound       stores held in memory; beyond it new stores wait in the outbox only
 * @param maintenanceQueueBound  maintenance tasks held in memory (builds beyond it wait in the outbox;
 *                               forget/consolidate beyond it are rejected); maintenance runs one at a time
 * @param agingInterval          waiting this long raises a task by one priority level
 * @param drainDeadline          how long {@code close()} lets queued and running tasks finish
 * @param finishedRetention      how long finished tasks stay visible to {@code find}
 * @param finishedMaxEntries     finished tasks kept visible at most
 * @param deadLetterMax          dead-lettered tasks kept visible at most (the outbox keeps them all)
 * @param outboxBatchSize        outbox writes grouped into one transaction at most
 * @param prefetch               policy of the low-priority LLM recall prefetch that follows a store
 */
public record TaskEngineSettings(
        int workerPermits, int reservedInteractive,
        int interactiveConcurrency, int interactiveQueueBound,
        int ingestConcurrency, int ingestQueueBound,
        int maintenanceQueueBound,
        Duration agingInterval, Duration drainDeadline,
        Duration finishedRetention, int finishedMaxEntries, int deadLetterMax, int outboxBatchSize,
        TaskPolicy store, TaskPolicy retrieve, TaskPolicy build, TaskPolicy forget, TaskPolicy consolidate,
        TaskPolicy prefetch) {

    public TaskEngineSettings {
        atLeast(workerPermits, 1, "worker_permits");
        atLeast(reservedInteractive, 0, "reserved_interactive");
        atLeast(interactiveConcurrency, 1, "interactive_concurrency");
        if (reservedInteractive > interactiveConcurrency) {
            throw new IllegalArgumentException("reserved_interactive must be <= interactive_concurrency (was "
                    + reservedInteractive + " > " + interactiveConcurrency + ")");
        }
        if (reservedInteractive >= workerPermits) {
            throw new IllegalArgumentException("reserved_interactive must be < worker_permits so background work can"
                    + " run (was " + reservedInteractive + " >= " + workerPermits + ")");
        }
        atLeast(interactiveQueueBound, 1, "interactive_queue_bound");
        atLeast(ingestConcurrency, 1, "ingest_concurrency");
        atLeast(ingestQueueBound, 1, "ingest_queue_bound");
        atLeast(maintenanceQueueBound, 1, "maintenance_queue_bound");
        TaskPolicy.requirePositive(agingInterval, "aging_interval");
        TaskPolicy.requirePositive(drainDeadline, "drain_deadline");
        TaskPolicy.requirePositive(finishedRetention, "finished_retention");
        atLeast(finishedMaxEntries, 1, "finished_max_entries");
        atLeast(deadLetterMax, 1, "dead_letter_max");
        atLeast(outboxBatchSize, 1, "outbox_batch_size");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(retrieve, "retrieve");
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(forget, "forget");
        Objects.requireNonNull(consolidate, "consolidate");
        Objects.requireNonNull(prefetch, "prefetch");
    }

    /** The defaults: sized for an LLM-bound server on a small machine. */
    public static TaskEngineSettings defaults() {
        return new TaskEngineSettings(64, 16, 32, 256, 16, 4096, 16,
                Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMinutes(10), 10_000, 1_000, 512,
                new TaskPolicy(Duration.ofSeconds(60), 5, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2),
                new TaskPolicy(Duration.ofSeconds(2), 1, Duration.ofMillis(100), Duration.ofSeconds(1), 0.0),
                new TaskPolicy(Duration.ofMinutes(30), 3, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2),
                new TaskPolicy(Duration.ofMinutes(10), 3, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2),
                new TaskPolicy(Duration.ofMinutes(30), 3, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2),
                new TaskPolicy(Duration.ofSeconds(60), 1, Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2));
    }

    /** The policy of a task type. */
    public TaskPolicy policy(TaskType type) {
        return switch (type) {
            case STORE -> store;
            case RETRIEVE -> retrieve;
            case BUILD -> build;
            case FORGET -> forget;
            case CONSOLIDATE -> consolidate;
            case PREFETCH -> prefetch;
        };
    }

    /** Concurrency limit of a lane (maintenance: always one). */
    public int concurrency(Lane lane) {
        return switch (lane) {
            case INTERACTIVE -> interactiveConcurrency;
            case INGEST -> ingestConcurrency;
            case MAINTENANCE -> 1;
        };
    }

    /** In-memory queue bound of a lane. */
    public int queueBound(Lane lane) {
        return switch (lane) {
            case INTERACTIVE -> interactiveQueueBound;
            case INGEST -> ingestQueueBound;
            case MAINTENANCE -> maintenanceQueueBound;
        };
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    private static void atLeast(int value, int min, String name) {
        if (value < min) throw new IllegalArgumentException(name + " must be >= " + min + " (was " + value + ")");
    }

    /** Changes some fields of a settings record; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private int workerPermits, reservedInteractive, interactiveConcurrency, interactiveQueueBound;
        private int ingestConcurrency, ingestQueueBound, maintenanceQueueBound;
        private Duration agingInterval, drainDeadline, finishedRetention;
        private int finishedMaxEntries, deadLetterMax, outboxBatchSize;
        private TaskPolicy store, retrieve, build, forget, consolidate, prefetch;

        private Builder(TaskEngineSettings s) {
            workerPermits = s.workerPermits;
            reservedInteractive = s.reservedInteractive;
            interactiveConcurrency = s.interactiveConcurrency;
            interactiveQueueBound = s.interactiveQueueBound;
            ingestConcurrency = s.ingestConcurrency;
            ingestQueueBound = s.ingestQueueBound;
            maintenanceQueueBound = s.maintenanceQueueBound;
            agingInterval = s.agingInterval;
            drainDeadline = s.drainDeadline;
            finishedRetention = s.finishedRetention;
            finishedMaxEntries = s.finishedMaxEntries;
            deadLetterMax = s.deadLetterMax;
            outboxBatchSize = s.outboxBatchSize;
            store = s.store;
            retrieve = s.retrieve;
            build = s.build;
            forget = s.forget;
            consolidate = s.consolidate;
            prefetch = s.prefetch;
        }

        public Builder workerPermits(int v) { workerPermits = v; return this; }
        public Builder reservedInteractive(int v) { reservedInteractive = v; return this; }
        public Builder interactiveConcurrency(int v) { interactiveConcurrency = v; return this; }
        public Builder interactiveQueueBound(int v) { interactiveQueueBound = v; return this; }
        public Builder ingestConcurrency(int v) { ingestConcurrency = v; return this; }
        public Builder ingestQueueBound(int v) { ingestQueueBound = v; return this; }
        public Builder maintenanceQueueBound(int v) { maintenanceQueueBound = v; return this; }
        public Builder agingInterval(Duration v) { agingInterval = v; return this; }
        public Builder drainDeadline(Duration v) { drainDeadline = v; return this; }
        public Builder finishedRetention(Duration v) { finishedRetention = v; return this; }
        public Builder finishedMaxEntries(int v) { finishedMaxEntries = v; return this; }
        public Builder deadLetterMax(int v) { deadLetterMax = v; return this; }
        public Builder outboxBatchSize(int v) { outboxBatchSize = v; return this; }

        /** Sets the policy of one task type. */
        public Builder policy(TaskType type, TaskPolicy policy) {
            switch (type) {
                case STORE -> store = policy;
                case RETRIEVE -> retrieve = policy;
                case BUILD -> build = policy;
                case FORGET -> forget = policy;
                case CONSOLIDATE -> consolidate = policy;
                case PREFETCH -> prefetch = policy;
            }
            return this;
        }

        public TaskEngineSettings build() {
            return new TaskEngineSettings(workerPermits, reservedInteractive, interactiveConcurrency,
                    interactiveQueueBound, ingestConcurrency, ingestQueueBound, maintenanceQueueBound,
                    agingInterval, drainDeadline, finishedRetention, finishedMaxEntries,
                    deadLetterMax, outboxBatchSize, store, retrieve, build, forget, consolidate, prefetch);
        }
    }
}
