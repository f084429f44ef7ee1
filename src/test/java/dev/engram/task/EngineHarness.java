package dev.engram.task;

import dev.engram.app.DefaultSettings;
import dev.engram.testing.MutableClock;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

import org.awaitility.core.ConditionFactory;

import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.engram.memory.RecallPolicy;
import dev.engram.memory.recall.RecallCache;
import dev.engram.model.Recall;

/**
 * A task engine on a real SQLite file with a fake clock and a manual scheduler; workers are manual
 * (deterministic, run on the test thread) or real virtual threads. Closes everything it opened.
 */
final class EngineHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final ManualExecutor workers = new ManualExecutor();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The memory side's recall cache, plugged in as memory wiring does; tests invalidate it as handlers do. */
    final RecallCache cache = DefaultSettings.recallCache(clock);
    final Storage storage;
    final TaskEngine<Recall> engine;

    private EngineHarness(Path dir, boolean manualWorkers, int busyTimeoutMs, UnaryOperator<TaskEngineBuilder> customise) {
        this.storage = SqliteStorage.open(dir, busyTimeoutMs);
        TaskEngineBuilder<Recall> builder = TaskEngine.builder(storage, RecallPolicy.INSTANCE).clock(clock).scheduler(scheduler).meterRegistry(meters)
                .settings(DefaultSettings.tasks())
                .cache(cache);
        if (manualWorkers) builder.workerExecutor(workers);
        this.engine = customise.apply(builder).build();
    }

    /** A recall cache on the builder's clock holding at most {@code maxEntries} reply results. */
    static RecallCache recallCache(TaskEngineBuilder<?> b, int maxEntries) {
        return new RecallCache(RecallCache.Settings.of(Duration.ofSeconds(300), maxEntries), b.clock);
    }

    /** Awaitility, polling fast: for conditions reached by real threads (outbox thread, virtual workers). */
    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    /** Workers run only when the test calls {@link ManualExecutor#runAll()}. */
    static EngineHarness manual(Path dir, UnaryOperator<TaskEngineBuilder> customise) {
        return new EngineHarness(dir, true, 5_000, customise);
    }

    /** {@link #manual} on a database whose writers give up after {@code busyTimeoutMs} waiting for its lock. */
    static EngineHarness manual(Path dir, int busyTimeoutMs, UnaryOperator<TaskEngineBuilder> customise) {
        return new EngineHarness(dir, true, busyTimeoutMs, customise);
    }

    /** Workers are the engine's own virtual threads. */
    static EngineHarness threaded(Path dir, UnaryOperator<TaskEngineBuilder> customise) {
        return new EngineHarness(dir, false, 5_000, customise);
    }

    /** Starts the engine and waits until the replay of the (empty) outbox has finished. */
    EngineHarness started() {
        engine.start();
        awaitReplayed();
        return this;
    }

    /** Waits until neither durable lane waits for the outbox. */
    void awaitReplayed() {
        eventually().until(() ->
                !engine.status().ingest().spilled() && !engine.status().maintenance().spilled());
    }

    /** Waits for the outbox thread's replay/pull to hand work to the manual executor, then runs all. */
    void runAllAfterPull(int expectedRuns) {
        int[] ran = {0};
        eventually().until(() -> {
            ran[0] += workers.runAll();
            return ran[0] >= expectedRuns;
        });
    }

    /** Waits until every queued outbox deletion of finished tasks has committed. */
    void awaitOutboxSettled() {
        eventually().until(() -> engine.registry().removingCount() == 0);
    }

    TaskState state(TaskId id) {
        return engine.find(id).orElseThrow().state();
    }

    /** Closes the engine (see {@link #closeEngine()}), then the storage. */
    @Override
    public void close() {
        try {
            closeEngine();
        } finally {
            storage.close();
        }
    }

    /**
     * Closes the engine as a test thread must when it also plays the workers and the clock: manual work
     * still queued is run, and if the engine still waits for its drain deadline (a test left a task
     * blocked), time is advanced until it gives up.
     */
    void closeEngine() {
        workers.runAll();
        Thread closer = Thread.ofVirtual().start(engine::close);
        while (!join(closer)) {
            workers.runAll();
            scheduler.advance(Duration.ofSeconds(1));
        }
    }

    private static boolean join(Thread t) {
        try {
            return t.join(Duration.ofMillis(50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
