package dev.engram.task;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import dev.engram.store.Storage;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Configures a {@link TaskEngine}; every dependency except the storage, the retrieval policy and the
 * settings has a production default. Not thread-safe.
 *
 * @param <R> the retrieval's result type
 */
public final class TaskEngineBuilder<R> {
    final Storage storage;
    final RetrievePolicy<R> policy;
    TaskEngineSettings settings;
    Clock clock = Clock.systemUTC();
    TaskHandlers<R> handlers = TaskHandlers.noOp();
    TaskListener listener = TaskListener.none();
    PeriodicSchedule periodic = PeriodicSchedule.none();
    MeterRegistry meterRegistry;
    DelayScheduler scheduler;
    Executor workers;
    RetrieveCache<R> cache = RetrieveCache.none();
    RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
    ClusterSettings cluster;

    TaskEngineBuilder(Storage storage, RetrievePolicy<R> policy) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Limits, bounds and per-type policies; required (the composition root maps them from {@code [tasks]}). */
    public TaskEngineBuilder<R> settings(TaskEngineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** Source of every timestamp (aging, TTLs, deadlines); default UTC system clock. */
    public TaskEngineBuilder<R> clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** What each task type does; default no-op handlers. */
    public TaskEngineBuilder<R> handlers(TaskHandlers<R> handlers) {
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        return this;
    }

    /** Told about every task that reaches a final state; default none. */
    public TaskEngineBuilder<R> listener(TaskListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Maintenance submitted on a timer after {@link TaskEngine#start()}; default none. */
    public TaskEngineBuilder<R> periodic(PeriodicSchedule periodic) {
        this.periodic = Objects.requireNonNull(periodic, "periodic");
        return this;
    }

    /** Publishes the meters of {@link TaskMetricNames} there; default none (status still works). */
    public TaskEngineBuilder<R> meterRegistry(MeterRegistry registry) {
        this.meterRegistry = registry;
        return this;
    }

    /**
     * Delays (timeouts, backoff, deadlines, periodic ticks), on the same time line as {@link #clock};
     * default: a timer thread owned by the engine.
     */
    public TaskEngineBuilder<R> scheduler(DelayScheduler scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /** Where task attempts run; default: a virtual thread per attempt, owned by the engine. */
    public TaskEngineBuilder<R> workerExecutor(Executor executor) {
        this.workers = executor;
        return this;
    }

    /** The retrieval cache (owned by the result type's layer, which invalidates it); default none. */
    public TaskEngineBuilder<R> cache(RetrieveCache<R> cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
        return this;
    }

    /** Source of retry jitter; default {@link ThreadLocalRandom}. */
    public TaskEngineBuilder<R> random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /**
     * Cluster mode (needs PostgreSQL storage): the outbox is the work queue of every instance on the database.
     * A durable task is written unclaimed and runs on the instance holding its chat's lease (chatless tasks:
     * the maintenance lease), in outbox order per chat; the periodic tasks run only on the holder of the
     * maintenance lease; a dead instance's work moves to others once its leases expired, and a closed one's
     * at once. Default: off (one instance owns the whole outbox).
     */
    public TaskEngineBuilder<R> cluster(ClusterSettings cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        return this;
    }

    public TaskEngine<R> build() {
        if (settings == null) throw new IllegalStateException("settings not set");
        return new TaskEngine<>(this);
    }
}
