package dev.engram.task;

import java.time.Duration;
import java.util.Objects;

/**
 * Every tunable of the task engine, validated at construction. The fields named by a {@code [tasks]} key of
 * {@code config.toml} (snake case) have no default here: their defaults live in the configuration and the
 * composition root maps them in. The engine's own constants, which no key sets, are the {@link Builder}'s
 * starting values (documented on each parameter).
 *
 * @param workerPermits          tasks running at once, all lanes together
 * @param reservedInteractive    of those, permits only the interactive lane may use
 * @param interactiveConcurrency retrievals running at once
 * @param interactiveQueueBound  retrievals waiting; beyond it a retrieval is answered at once, skipped
 * @param ingestConcurrency      stores running at once (at most one per chat)
 * @param ingestQueueBound       stores held in memory; beyond it new stores wait in the outbox only
 * @param maintenanceQueueBound  maintenance tasks held in memory (builds beyond it wait in the outbox;
 *                               forget/consolidate beyond it are rejected); maintenance runs one at a time
 *                               (engine constant: 16)
 * @param agingInterval          waiting this long raises a task by one priority level (engine constant: 10 s)
 * @param drainDeadline          how long {@code close()} lets queued and running tasks finish
 * @param finishedRetention      how long finished tasks stay visible to {@code find} (engine constant: 10 min)
 * @param finishedMaxEntries     finished tasks kept visible at most (engine constant: 10,000)
 * @param deadLetterMax          dead letters kept at most; beyond it the oldest are purged (logged)
 * @param statusRetention        how long after submission a finished durable task's status row is kept
 * @param statusMaxEntries       finished durable tasks' status rows kept at most, per type
 * @param outboxBatchSize        outbox writes grouped into one transaction at most (engine constant: 512)
 * @param prefetch               policy of the low-priority LLM recall prefetch that follows a store (engine
 *                               constant: 60 s timeout, one attempt)
 */
public record TaskEngineSettings(
        int workerPermits, int reservedInteractive,
        int interactiveConcurrency, int interactiveQueueBound,
        int ingestConcurrency, int ingestQueueBound,
        int maintenanceQueueBound,
        Duration agingInterval, Duration drainDeadline,
        Duration finishedRetention, int finishedMaxEntries, int deadLetterMax, Duration statusRetention,
        int statusMaxEntries, int outboxBatchSize,
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
        TaskPolicy.requirePositive(statusRetention, "status_retention");
        atLeast(statusMaxEntries, 1, "status_max_entries");
        atLeast(outboxBatchSize, 1, "outbox_batch_size");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(retrieve, "retrieve");
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(forget, "forget");
        Objects.requireNonNull(consolidate, "consolidate");
        Objects.requireNonNull(prefetch, "prefetch");
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

    /**
     * A builder holding the engine's constants; every field with a {@code [tasks]} key must be set before
     * {@link Builder#build()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    private static void atLeast(int value, int min, String name) {
        if (value < min) throw new IllegalArgumentException(name + " must be >= " + min + " (was " + value + ")");
    }

    /**
     * Sets the fields of a settings record; {@link #build()} fails naming a field that was never set, then
     * validates. Not thread-safe.
     */
    public static final class Builder {
        private Integer workerPermits, reservedInteractive, interactiveConcurrency, interactiveQueueBound;
        private Integer ingestConcurrency, ingestQueueBound;
        private Duration drainDeadline, statusRetention;
        private Integer statusMaxEntries;
        private int maintenanceQueueBound = 16;
        private Duration agingInterval = Duration.ofSeconds(10);
        private Duration finishedRetention = Duration.ofMinutes(10);
        private int finishedMaxEntries = 10_000;
        private Integer deadLetterMax;
        private int outboxBatchSize = 512;
        private TaskPolicy store, retrieve, build, forget, consolidate;
        private TaskPolicy prefetch = new TaskPolicy(Duration.ofSeconds(60), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 0.2);

        private Builder() {
        }

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
            statusRetention = s.statusRetention;
            statusMaxEntries = s.statusMaxEntries;
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
        public Builder statusRetention(Duration v) { statusRetention = v; return this; }
        public Builder statusMaxEntries(int v) { statusMaxEntries = v; return this; }
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

        /** @throws IllegalStateException naming a field never set; IllegalArgumentException naming an invalid one */
        public TaskEngineSettings build() {
            return new TaskEngineSettings(set(workerPermits, "worker_permits"),
                    set(reservedInteractive, "reserved_interactive"), set(interactiveConcurrency, "interactive_concurrency"),
                    set(interactiveQueueBound, "interactive_queue_bound"), set(ingestConcurrency, "ingest_concurrency"),
                    set(ingestQueueBound, "ingest_queue_bound"), maintenanceQueueBound, agingInterval,
                    set(drainDeadline, "drain_deadline"), finishedRetention, finishedMaxEntries,
                    set(deadLetterMax, "dead_letter_max"),
                    set(statusRetention, "status_retention"), set(statusMaxEntries, "status_max_entries"),
                    outboxBatchSize, set(store, "store policy"), set(retrieve, "retrieve policy"),
                    set(build, "build policy"), set(forget, "forget policy"), set(consolidate, "consolidate policy"),
                    prefetch);
        }

        private static <T> T set(T value, String name) {
            if (value == null) throw new IllegalStateException(name + " not set");
            return value;
        }
    }
}
