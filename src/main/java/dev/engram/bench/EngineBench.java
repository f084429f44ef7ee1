package dev.engram.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;
import dev.engram.task.MemoryTask;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskEngineSettings;
import dev.engram.task.TaskHandlers;
import dev.engram.task.TaskView;
import dev.engram.memory.RecallPolicy;

/**
 * Benchmark of the task engine with no-op handlers on a real SQLite outbox: how many tasks per second it
 * completes when flooded, and how long a task waits from {@code submit} to the start of its handler when
 * the engine is not saturated. Phases: warm-up (discarded), throughput ({@code submitters} threads submit
 * {@code tasks} as fast as they can; timed until every task is final and the outbox empty), latency (tasks
 * paced at
 * {@code latencyRate} per second for {@code latencyPhase}; reports submit-to-start percentiles and, apart,
 * how long {@code submit} itself took, which for durable tasks is the outbox commit). Not used at run time
 * by {@code serve}.
 */
public final class EngineBench {
    private static final Recall EMPTY = Recall.empty(RecallStatus.OK);
    private static final int PACERS = 4;

    private EngineBench() {
    }

    /**
     * Runs the benchmark and prints progress and the result to {@code out}.
     *
     * @param configured the engine settings as configured; the bench raises the interactive and ingest queue
     *               bounds so the flood is never shed
     */
    public static EngineBenchResult run(EngineBenchOptions opts, TaskEngineSettings configured, PrintStream out) {
        Path dir = opts.dataDir() != null ? opts.dataDir() : tempDir();
        try (Storage storage = SqliteStorage.open(dir, 10_000)) {
            Probe probe = new Probe();
            TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder()
                    .onStore((task, ctx) -> probe.started(Integer.parseInt(task.content())))
                    .onRetrieve((task, ctx) -> {
                        probe.started(Integer.parseInt(task.query()));
                        return EMPTY;
                    })
                    .build();
            TaskEngineSettings settings = configured.toBuilder()
                    .interactiveQueueBound(1 << 16).ingestQueueBound(1 << 16).build();
            try (TaskEngine<Recall> engine = TaskEngine.builder(storage, RecallPolicy.INSTANCE).settings(settings).handlers(handlers)
                    .listener(probe::finished).build()) {
                engine.start();
                out.printf("engine bench (%s) on %s, %d cores%n", opts.mix(), storage.describe(),
                        Runtime.getRuntime().availableProcessors());
                if (opts.warmupTasks() > 0) {
                    flood(engine, opts, probe, opts.warmupTasks());
                    out.printf("warm-up: %,d tasks%n", opts.warmupTasks());
                }
                Duration elapsed = flood(engine, opts, probe, opts.tasks());
                double throughput = opts.tasks() / (elapsed.toNanos() / 1e9);
                out.printf(java.util.Locale.ROOT, "throughput: %,d tasks in %d ms = %,.0f tasks/s%n", opts.tasks(),
                        elapsed.toMillis(), throughput);
                paced(engine, opts, probe);
                long[] waits = probe.waits();
                long[] acks = probe.acks();
                Arrays.sort(waits);
                Arrays.sort(acks);
                EngineBenchResult result = new EngineBenchResult(opts.mix(), opts.tasks(), elapsed, throughput,
                        opts.latencyRate(), waits.length, percentile(waits, 0.50), percentile(waits, 0.99),
                        waits[waits.length - 1] / 1e6, percentile(acks, 0.99));
                out.println(result.summary());
                return result;
            }
        } finally {
            if (opts.dataDir() == null) deleteRecursively(dir);
        }
    }

    /**
     * Submits {@code n} tasks from the submitter threads; returns the time until all are final and their
     * outbox rows deleted (so the next phase starts unsaturated).
     */
    private static Duration flood(TaskEngine<Recall> engine, EngineBenchOptions opts, Probe probe, int n) {
        probe.reset(n);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < opts.submitters(); t++) {
            threads.add(Thread.ofPlatform().name("bench-submit-" + t).start(() -> {
                awaitQuietly(go);
                for (int i; (i = next.getAndIncrement()) < n; ) submit(engine, opts, i);
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        threads.forEach(EngineBench::joinQuietly);
        probe.awaitAllFinished();
        while (engine.status().totals().inOutbox() > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Submits at the configured rate from a few pacing threads (results in {@code probe}). */
    private static void paced(TaskEngine<Recall> engine, EngineBenchOptions opts, Probe probe) {
        int n = (int) Math.max(1, opts.latencyRate() * opts.latencyPhase().toNanos() / 1_000_000_000L);
        probe.reset(n);
        long period = 1_000_000_000L / opts.latencyRate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        List<Thread> pacers = new ArrayList<>();
        for (int p = 0; p < PACERS; p++) {
            int first = p;
            pacers.add(Thread.ofPlatform().name("bench-pace-" + p).start(() -> {
                for (int i = first; i < n; i += PACERS) {
                    long due = start + i * period;
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
                    probe.submitted(i, System.nanoTime());
                    submit(engine, opts, i);
                    probe.acknowledged(i, System.nanoTime());
                }
            }));
        }
        pacers.forEach(EngineBench::joinQuietly);
        probe.awaitAllFinished();
    }

    private static void submit(TaskEngine<Recall> engine, EngineBenchOptions opts, int i) {
        String id = Integer.toString(i);
        switch (opts.mix()) {
            case DURABLE -> engine.submit(new MemoryTask.Store("chat-" + i % opts.chats(), id));
            case IN_MEMORY -> engine.submit(new MemoryTask.Retrieve("chat-" + i % opts.chats(), id, Set.of(),
                    Instant.now().plusSeconds(60)));
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)] / 1e6;
    }

    /** Records handler starts and final states of one phase. Thread-safe. */
    private static final class Probe {
        private volatile long[] submitNanos = new long[0];
        private volatile long[] ackNanos = new long[0];
        private volatile long[] startNanos = new long[0];
        private volatile CountDownLatch finished = new CountDownLatch(0);

        void reset(int n) {
            submitNanos = new long[n];
            ackNanos = new long[n];
            startNanos = new long[n];
            finished = new CountDownLatch(n);
        }

        void submitted(int i, long nanos) {
            submitNanos[i] = nanos;
        }

        void acknowledged(int i, long nanos) {
            ackNanos[i] = nanos;
        }

        void started(int i) {
            startNanos[i] = System.nanoTime();
        }

        void finished(TaskView view) {
            finished.countDown();
        }

        void awaitAllFinished() {
            awaitQuietly(finished);
        }

        /** Submit-to-start nanos per task. */
        long[] waits() {
            long[] waits = new long[startNanos.length];
            for (int i = 0; i < waits.length; i++) waits[i] = startNanos[i] - submitNanos[i];
            return waits;
        }

        /** Nanos each {@code submit} call took (for durable tasks: the outbox commit). */
        long[] acks() {
            long[] acks = new long[ackNanos.length];
            for (int i = 0; i < acks.length; i++) acks[i] = ackNanos[i] - submitNanos[i];
            return acks;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("engram-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
