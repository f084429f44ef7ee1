package dev.engram.task;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;
import dev.engram.store.OutboxRecord;
import dev.engram.store.Storage;
import dev.engram.store.TaskStatusRecord;

/**
 * The engine's only path to the outbox and task status tables: group commit of writes, and outbox pulls,
 * on one thread. A write that changes a task's outbox row (its deletion once the task finished, its attempt
 * count) records the task's status in the same transaction, so a status survives exactly what the outbox
 * does; after each batch {@link StatusRetention} may prune old status rows.
 *
 * <p>Writes queue up while the previous transaction commits and then go in one transaction of up to
 * {@code batchSize} operations; each caller gets its own future. Adds acknowledge a submission, so they
 * overtake the background writes (deletions, attempt counts): a batch takes every waiting add and at
 * most {@code batchSize / 8} background writes while adds wait, which bounds how long an acknowledgement
 * waits behind a backlog of deletions. If a batch fails, its operations are retried one by one so one bad
 * row fails only its own caller. A background write that fails alone with a retriable error (a busy or locked
 * database) is queued again after a growing pause, up to {@value #RETRIES} times, instead of leaving a finished
 * task's row in the outbox until the next start. Pulls run on the same thread between batches, so a pull never
 * sees a write half-applied by this engine.
 *
 * <p>Concurrency: thread-safe. Operations are handed over through a lock-free queue; {@code draining}
 * ensures at most one drain runs at a time (the serial-executor pattern), on the engine's
 * {@code engram-outbox} platform thread (JDBC calls into SQLite are native and would pin a virtual
 * thread's carrier).
 */
final class OutboxPipe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxPipe.class);
    /** Times a background write failing retriably is queued again. */
    static final int RETRIES = 30;
    /** Pause before the first requeue; doubled each time, at most {@link #MAX_PAUSE_MS}. */
    private static final long FIRST_PAUSE_MS = 20;
    private static final long MAX_PAUSE_MS = 2_000;

    /** What the ops of one batch write as prepared batches, after the ops that write directly. */
    private static final class Grouped {
        final List<OutboxRecord> adds = new ArrayList<>();
        final List<String> removals = new ArrayList<>();
        final List<TaskStatusRecord> statuses = new ArrayList<>();
        int finished;
        boolean deadLettered;
    }

    /**
     * One write. Ops of one batch concern different tasks (a task's next write is queued only after its
     * previous one completed), so the grouped writes may run after the direct ones.
     */
    private sealed interface Op {
        CompletableFuture<Void> done();

        void apply(Storage tx, Grouped grouped);
    }

    private record Add(OutboxRecord record, CompletableFuture<Void> done) implements Op {
        public void apply(Storage tx, Grouped grouped) {
            grouped.adds.add(record);
        }
    }

    private record Remove(String taskId, TaskStatusRecord status, CompletableFuture<Void> done) implements Op {
        public void apply(Storage tx, Grouped grouped) {
            grouped.removals.add(taskId);
            grouped.statuses.add(status);
            grouped.finished++;
        }
    }

    private record SetAttempts(String taskId, int attempts, TaskStatusRecord status, CompletableFuture<Void> done)
            implements Op {
        public void apply(Storage tx, Grouped grouped) {
            tx.outbox().updateAttempts(taskId, attempts);
            grouped.statuses.add(status);
        }
    }

    private record MarkDead(String taskId, int attempts, TaskStatusRecord status, CompletableFuture<Void> done)
            implements Op {
        public void apply(Storage tx, Grouped grouped) {
            tx.outbox().markDead(taskId, attempts);
            grouped.statuses.add(status);
            grouped.deadLettered = true;
        }
    }

    /**
     * Work on dead letters ({@link DeadLetters}): runs in the batch's transaction and keeps its result;
     * {@code afterCommit} runs on this thread once the transaction committed, before any later pull.
     */
    private static final class DeadLetterOp implements Op {
        final Function<Storage, List<OutboxRecord>> work;
        final Consumer<List<OutboxRecord>> afterCommit;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        List<OutboxRecord> result = List.of();

        DeadLetterOp(Function<Storage, List<OutboxRecord>> work, Consumer<List<OutboxRecord>> afterCommit) {
            this.work = work;
            this.afterCommit = afterCommit;
        }

        public CompletableFuture<Void> done() {
            return done;
        }

        public void apply(Storage tx, Grouped grouped) {
            result = work.apply(tx);
        }
    }

    private final Storage storage;
    private final int batchSize;
    private final Fence fence;
    private final StatusRetention retention;
    private final DeadLetters deadLetters;
    private final ExecutorService thread;
    private final ConcurrentLinkedQueue<Op> adds = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Op> background = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Requeues so far of background writes that failed retriably; touched on the pipe's thread only. */
    private final Map<Op, Integer> requeues = new IdentityHashMap<>();
    private final AtomicLong requeuedTotal = new AtomicLong();
    private volatile boolean pullRequested;
    private volatile Runnable puller = () -> { };
    /** Cluster mode: runs first in a transaction that inserts rows, with their records (see {@link ClusterMember#orderAdds}). */
    private volatile java.util.function.BiConsumer<Storage, List<OutboxRecord>> beforeAdds;
    private volatile boolean closed;

    OutboxPipe(Storage storage, int batchSize, Fence fence, StatusRetention retention, DeadLetters deadLetters) {
        this.storage = storage;
        this.batchSize = batchSize;
        this.fence = fence;
        this.retention = retention;
        this.deadLetters = deadLetters;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("engram-outbox").daemon().factory());
    }

    /** Sets what runs first in each transaction that inserts outbox rows, given their records (cluster mode). */
    void beforeAdds(java.util.function.BiConsumer<Storage, List<OutboxRecord>> hook) {
        this.beforeAdds = hook;
    }

    /** Sets what a pull does (the engine's {@link OutboxFeeder}). */
    void puller(Runnable puller) {
        this.puller = puller;
    }

    CompletableFuture<Void> add(OutboxRecord record) {
        return submit(new Add(record, new CompletableFuture<>()));
    }

    /** Deletes a finished task's outbox row and records its final {@code status}. */
    CompletableFuture<Void> remove(String taskId, TaskStatusRecord status) {
        return submit(new Remove(taskId, status, new CompletableFuture<>()));
    }

    /** Records the attempts made so far on the task's outbox row, and its {@code status}. */
    CompletableFuture<Void> setAttempts(String taskId, int attempts, TaskStatusRecord status) {
        return submit(new SetAttempts(taskId, attempts, status, new CompletableFuture<>()));
    }

    /** Makes a task's outbox row a dead letter with {@code attempts} recorded, and records its {@code status}. */
    CompletableFuture<Void> markDead(String taskId, int attempts, TaskStatusRecord status) {
        return submit(new MarkDead(taskId, attempts, status, new CompletableFuture<>()));
    }

    /**
     * Runs {@code work} on dead letters in a transaction of its own batch; {@code afterCommit} gets the rows
     * it returned, on this pipe's thread, after the commit and before the next pull. Completes with those rows.
     */
    CompletableFuture<List<OutboxRecord>> onDeadLetters(Function<Storage, List<OutboxRecord>> work,
                                                        Consumer<List<OutboxRecord>> afterCommit) {
        DeadLetterOp op = new DeadLetterOp(work, afterCommit);
        return submit(op).thenApply(ok -> op.result);
    }

    /** Background writes queued again after a retriable failure, since start. */
    long requeued() {
        return requeuedTotal.get();
    }

    /** Writes queued and not yet committed. */
    int backlog() {
        return backlog.get();
    }

    /** Asks for a pull; many requests before it runs make one pull. */
    void requestPull() {
        pullRequested = true;
        schedule();
    }

    /** Finishes queued writes, then stops; later operations fail. Waits for the thread a bounded time. */
    @Override
    public void close() {
        closed = true;
        pullRequested = false;
        schedule();
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) thread.shutdownNow();
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        failRemaining();
    }

    private CompletableFuture<Void> submit(Op op) {
        if (closed) {
            op.done().completeExceptionally(new TaskRejectedException("task outbox closed"));
            return op.done();
        }
        backlog.incrementAndGet();
        op.done().whenComplete((ok, error) -> backlog.decrementAndGet());
        (op instanceof Add ? adds : background).add(op);
        schedule();
        return op.done();
    }

    private void schedule() {
        if (!draining.compareAndSet(false, true)) return;
        try {
            thread.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            draining.set(false);
            failRemaining();
        }
    }

    private void drain() {
        do {
            try {
                drainOnce();
            } finally {
                draining.set(false);
            }
        } while ((!adds.isEmpty() || !background.isEmpty() || pullRequested) && draining.compareAndSet(false, true));
    }

    private void drainOnce() {
        while (true) {
            List<Op> batch = new ArrayList<>();
            for (Op op; batch.size() < batchSize && (op = adds.poll()) != null; ) batch.add(op);
            int backgroundLimit = batch.isEmpty() ? batchSize : Math.max(1, batchSize / 8);
            for (Op op; batch.size() < batchSize && backgroundLimit-- > 0 && (op = background.poll()) != null; ) {
                batch.add(op);
            }
            if (!batch.isEmpty()) {
                retention.recorded(write(batch), storage, fence);
            } else if (pullRequested && !closed) {
                pullRequested = false;
                runPull();
            } else {
                return;
            }
        }
    }

    /** Commits the batch (or, if it fails, each op alone); returns the finished tasks' statuses written. */
    private int write(List<Op> batch) {
        try {
            int finished = storage.inTransaction(tx -> {
                Grouped grouped = new Grouped();
                var hook = beforeAdds;
                if (hook != null) {
                    List<OutboxRecord> added = new ArrayList<>();
                    for (Op op : batch) {
                        if (op instanceof Add add) added.add(add.record());
                    }
                    if (!added.isEmpty()) hook.accept(tx, added);
                }
                for (Op op : batch) op.apply(tx, grouped);
                tx.outbox().addAll(grouped.adds);
                tx.outbox().removeAll(grouped.removals);
                tx.taskStatus().putAll(grouped.statuses);
                if (grouped.deadLettered) deadLetters.trim(tx);
                fence.check();
                return grouped.finished;
            });
            for (Op op : batch) {
                if (op instanceof DeadLetterOp d) runAfterCommit(d);
            }
            batch.forEach(op -> {
                requeues.remove(op);
                op.done().complete(null);
            });
            return finished;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                Op op = batch.getFirst();
                if (!requeue(op, e)) {
                    requeues.remove(op);
                    op.done().completeExceptionally(e);
                }
                return 0;
            }
            int finished = 0;
            for (Op op : batch) finished += write(List.of(op));
            return finished;
        }
    }

    /** Queues a background write that failed retriably again after a pause; false when it must fail now. */
    private boolean requeue(Op op, RuntimeException e) {
        if (op instanceof Add || closed || !Failures.isRetriable(e)) return false;
        int n = requeues.merge(op, 1, Integer::sum);
        if (n > RETRIES) return false;
        requeuedTotal.incrementAndGet();
        long pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(n - 1, 20));
        log.debug("outbox write failed ({}); trying again in {} ms ({}/{})", e.toString(), pause, n, RETRIES);
        CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS).execute(() -> {
            background.add(op);
            if (closed) failRemaining();
            else schedule();
        });
        return true;
    }

    private static void runAfterCommit(DeadLetterOp op) {
        try {
            op.afterCommit.accept(op.result);
        } catch (RuntimeException e) {
            log.warn("handing requeued dead letters to the engine failed; they run after the next start", e);
        }
    }

    private void runPull() {
        try {
            puller.run();
        } catch (RuntimeException e) {
            log.warn("reading the task outbox failed; will try again on the next request", e);
        }
    }

    private void failRemaining() {
        for (Op op; (op = adds.poll()) != null || (op = background.poll()) != null; ) {
            op.done().completeExceptionally(new TaskRejectedException("task outbox closed"));
        }
    }
}
