package dev.engram.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.engram.store.Storage;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The asynchronous memory task engine: priority lanes, bounded workers, retries, timeouts, single-flight
 * retrieval with a cache, and a durable outbox. Nothing here blocks a caller for memory work: submitting
 * waits only for the outbox write of a durable task (group-committed, sub-millisecond), and a retrieval
 * answers by its deadline at the latest.
 *
 * <p>Lifecycle: {@link #builder} → {@link #start()} (replays the outbox, starts periodic tasks) →
 * {@link #close()} (stops intake, drains until the drain deadline, leaves the rest in the outbox).
 * Durable tasks (store, build) are acknowledged only once their outbox row is committed and run at least
 * once even across a crash, so their handlers must be idempotent.
 *
 * <p>Cluster mode ({@link TaskEngineBuilder#cluster}): several engines share the outbox of one PostgreSQL
 * database. A durable task is written unclaimed and not admitted here; it runs on the instance that claims
 * it, the holder of its chat's lease ({@link ClusterMember}), so a chat's tasks run on one instance at a
 * time and in submission order; {@link #find} answers for every task from the stored status and outbox.
 * {@link #isIdle} then speaks for this instance's claimed work only.
 *
 * <p>Concurrency: thread-safe. The engine owns every thread it creates (workers, timer, outbox writer) and stops them on {@link #close()}. Invariant: memory use is bounded by the settings whatever the
 * load — lanes by their queue bounds (overflow waits in the outbox), finished tasks by an expiring cache,
 * dead letters by a count.
 *
 * @param <R> the retrieval's result type; the engine never looks inside it (see {@link RetrievePolicy})
 */
public final class TaskEngine<R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);
    /** How long tasks interrupted at the drain deadline get to finish before the executors stop. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    /** How often {@link #awaitIdle} checks. */
    static final Duration IDLE_POLL = Duration.ofMillis(10);

    private enum Phase { NEW, RUNNING, CLOSING, CLOSED }

    private final TaskEngineSettings settings;
    private final Clock clock;
    private final Storage storage;
    private final EngineExecutors executors;
    private final Fence fence = new Fence();
    private final TaskIdGenerator ids;
    private final TaskCodec codec = new TaskCodec();
    private final AtomicLong seq = new AtomicLong();
    private final TaskMetrics metrics = new TaskMetrics();
    private final TaskRegistry registry;
    private final OutboxPipe pipe;
    private final DeadLetterDesk desk;
    private final Dispatcher dispatcher;
    private final RecallCoordinator<R> recall;
    private final RetrievePolicy<R> policy;
    private final OutcomeApplier outcomes;
    private final JobRunner runner;
    private final PeriodicSubmitter periodic;
    private final MeterRegistry meterRegistry;
    private final List<Meter> meters;
    private final StoreBacklog backlog;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
    /** Cluster mode's claims and leases, or {@code null} (one instance owns the outbox). */
    private final ClusterMember cluster;

    TaskEngine(TaskEngineBuilder<R> b) {
        this.policy = b.policy;
        this.settings = b.settings;
        this.clock = b.clock;
        this.storage = b.storage;
        this.cluster = b.cluster == null ? null : new ClusterMember(b.cluster, storage.workQueue().orElseThrow(() ->
                new IllegalStateException("cluster mode needs PostgreSQL storage, not " + storage.describe())), clock,
                this::claimed);
        this.executors = EngineExecutors.create(b.workers, b.scheduler);
        this.ids = new TaskIdGenerator(clock);
        Ticker ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.registry = new TaskRegistry(settings, ticker, storage.outbox());
        DeadLetters deadLetters = new DeadLetters(settings, codec, clock);
        this.pipe = new OutboxPipe(storage, settings.outboxBatchSize(), fence, new StatusRetention(settings, clock),
                deadLetters);
        this.dispatcher = new Dispatcher(settings, clock, registry, executors.workers(), this::runAttempt,
                this::launchRejected, pipe::requestPull);
        this.recall = new RecallCoordinator<>(b.cache, clock, executors.scheduler(), this::launchRetrieve, policy);
        this.backlog = new StoreBacklog(storage.outbox(), clock);
        this.outcomes = new OutcomeApplier(settings, pipe, dispatcher, executors.scheduler(), policy, metrics,
                backlog.before(b.listener), registry, clock, codec);
        this.runner = new JobRunner(b.handlers, settings, clock, executors.scheduler(), fence, b.random, outcomes,
                this::submitFollowUp);
        if (cluster != null) pipe.beforeAdds(ClusterMember::orderAdds);
        pipe.puller(new OutboxFeeder(dispatcher, cluster == null ? storage.outbox()::listAfter : cluster::listClaimed, codec, settings,
                (id, task, at, prior) -> newJob(id, task, at, prior, null), executors.scheduler(), pipe::requestPull,
                view -> pipe.markDead(view.id().value(), view.attempts(), codec.status(view)), registry));
        this.desk = new DeadLetterDesk(storage, pipe, deadLetters, registry,
                cluster == null ? dispatcher::admit : job -> cluster.wake(), codec, clock,
                (id, task, at, prior) -> newJob(id, task, at, prior, null), this::find);
        this.periodic = new PeriodicSubmitter(b.periodic, executors.scheduler(), executors.workers(), this::submit,
                this::find, cluster == null ? () -> true : cluster::leadMaintenance);
        this.meterRegistry = b.meterRegistry;
        this.meters = meterRegistry == null ? List.of()
                : metrics.bind(meterRegistry, dispatcher, recall, storage.outbox(), backlog);
    }

    /**
     * A builder for an engine over {@code storage} (which must outlive the engine) whose retrievals answer
     * {@code R}, with {@code policy} deciding the answers of retrievals that do not complete.
     */
    public static <R> TaskEngineBuilder<R> builder(Storage storage, RetrievePolicy<R> policy) {
        return new TaskEngineBuilder<>(storage, policy);
    }

    /** Opens intake, replays the outbox and starts the periodic tasks. */
    public void start() {
        if (!phase.compareAndSet(Phase.NEW, Phase.RUNNING)) throw new IllegalStateException("engine already started");
        dispatcher.open();
        if (cluster != null) cluster.start();
        pipe.requestPull();
        periodic.start();
        log.info("task engine started: workers={} (reserved interactive {}), ingest={}, outbox={}{}",
                settings.workerPermits(), settings.reservedInteractive(), settings.ingestConcurrency(), storage.describe(),
                cluster == null ? "" : ", cluster instance " + cluster.instanceId());
    }

    /**
     * Submits a task. A durable one (store, build) is in the outbox when this returns. A full lane never
     * blocks: durable tasks wait in the outbox, others end CANCELLED at once (visible through {@link #find}).
     *
     * @throws TaskRejectedException if the engine is not running
     */
    public TaskId submit(MemoryTask task) {
        Objects.requireNonNull(task, "task");
        if (phase.get() != Phase.RUNNING) throw new TaskRejectedException("task engine is not running");
        TaskType type = task.type();
        TaskId id = ids.next(type);
        Instant now = clock.instant();
        if (type.durable()) {
            joinDurable(pipe.add(codec.encode(id, task, now)));
            metrics.increment(TaskMetrics.Count.SUBMITTED, type);
            if (cluster != null) {
                cluster.wake();
            } else {
                dispatcher.admit(newJob(id, task, now, 0, null));
            }
        } else {
            CompletableFuture<Object> result = type == TaskType.RETRIEVE ? new CompletableFuture<>() : null;
            metrics.increment(TaskMetrics.Count.SUBMITTED, type);
            Job job = newJob(id, task, now, 0, result);
            if (!dispatcher.offer(job)) outcomes.rejected(job, now);
        }
        if (type == TaskType.BUILD) log.info("记忆构建任务已提交：{}", id);
        return id;
    }

    /**
     * Writes a durable task's outbox row through the caller's transaction {@code tx}; nothing runs until the
     * caller, after commit, passes the result to {@link #admit}. If the process dies in between, the next
     * start replays the row.
     *
     * @throws IllegalArgumentException for a task type that is not durable
     */
    public Staged stage(Storage tx, MemoryTask task) {
        Objects.requireNonNull(tx, "tx");
        if (!task.type().durable()) throw new IllegalArgumentException(task.type().wire() + " tasks cannot be staged");
        TaskId id = ids.next(task.type());
        Instant now = clock.instant();
        dev.engram.store.OutboxRecord row = codec.encode(id, task, now);
        if (cluster != null) ClusterMember.orderAdds(tx, List.of(row));
        tx.outbox().add(row);
        return new Staged(id, task, now);
    }

    /** Hands a staged task whose transaction committed to the engine (if not running: left for the replay). */
    public void admit(Staged staged) {
        if (phase.get() != Phase.RUNNING) return;
        metrics.increment(TaskMetrics.Count.SUBMITTED, staged.task().type());
        if (staged.task() instanceof MemoryTask.Build) log.info("记忆构建任务已提交：{}", staged.id());
        if (cluster != null) {
            cluster.wake();
            return;
        }
        dispatcher.admit(newJob(staged.id(), staged.task(), staged.createdAt(), 0, null));
    }

    /**
     * Runs a retrieval for a chat on the interactive lane (cached, single-flight). Never completes
     * exceptionally: the policy's skipped answer at once when the lane is full or the engine is not running,
     * its timed-out answer at the deadline.
     */
    public CompletableFuture<R> retrieve(String chatId, String query, Set<Long> exclude, Instant deadline) {
        return retrieve(new MemoryTask.Retrieve(chatId, query, exclude, deadline));
    }

    /** {@link #retrieve(String, String, Set, Instant)} with every field of the retrieval, its limit included. */
    public CompletableFuture<R> retrieve(MemoryTask.Retrieve task) {
        if (phase.get() != Phase.RUNNING) {
            metrics.increment(TaskMetrics.Count.REJECTED, TaskType.RETRIEVE);
            return CompletableFuture.completedFuture(policy.skipped());
        }
        return recall.retrieve(task);
    }

    /**
     * A task's state: in memory (live, recently finished, dead-lettered in this run), else, for a durable
     * task, as recorded in the database: its last status (kept across restarts for the configured
     * retention), or queued while its outbox row waits (with the attempts and last error recorded).
     */
    public Optional<TaskView> find(TaskId id) {
        Optional<TaskView> known = registry.find(id);
        if (known.isPresent()) return known;
        Optional<TaskType> type = id.type().filter(TaskType::durable);
        if (type.isEmpty()) return Optional.empty();
        Optional<TaskView> recorded = storage.taskStatus().find(id.value()).flatMap(codec::view);
        if (recorded.map(v -> v.state().isFinal()).orElse(false) || !registry.inOutbox(id)) return recorded;
        Instant created = recorded.map(TaskView::submittedAt).orElseGet(() -> TaskIdGenerator.createdAt(id, clock.instant()));
        return Optional.of(recorded.map(v -> new TaskView(id, v.type(), TaskState.QUEUED, v.attempts(), v.error(),
                        v.chatId(), v.submittedAt(), v.updatedAt()))
                .orElse(new TaskView(id, type.get(), TaskState.QUEUED, 0, null, null, created, created)));
    }

    /**
     * Whether the engine has no work: no task queued (in a lane, or waiting in the outbox behind a spilled
     * lane or a replay not read yet), running or waiting to retry, and no outbox write pending (so a
     * finished task's row is gone and its status recorded). Finished tasks, failed ones and dead letters
     * do not count: an engine with only dead letters is idle. Cheap (no database read); thread-safe.
     */
    public boolean isIdle() {
        return dispatcher.isIdle() && registry.removingCount() == 0 && pipe.backlog() == 0;
    }

    /**
     * Waits until {@link #isIdle()} or {@code timeout} passes, checking every {@link #IDLE_POLL}; returns
     * whether the engine is idle. For callers that must wait for background work (evaluation, tests).
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!isIdle()) {
            if (System.nanoTime() - until >= 0) return false;
            Thread.sleep(IDLE_POLL);
        }
        return true;
    }

    /** Lanes, totals, cache and the newest dead letters now (the same figures as the meters). */
    public EngineStatus status() {
        List<TaskView> dead;
        try {
            dead = deadLetters(EngineStatus.DEAD_LETTERS_SHOWN);
        } catch (RuntimeException e) {
            log.debug("cannot read the dead letters", e);
            dead = List.of();
        }
        return metrics.snapshot(phase.get() == Phase.RUNNING, dispatcher, dead, recall, storage.outbox());
    }

    /**
     * Dead letters, newest first, at most {@code limit}: durable tasks that failed for good (FAILED: not
     * retriable; DEAD: out of attempts), kept in the outbox, not run, until retried or purged. At most
     * {@code dead_letter_max} are kept; beyond it the oldest are purged. A database read.
     */
    public List<TaskView> deadLetters(int limit) {
        return desk.list(limit);
    }

    /** The store pipeline's backlog and visibility lag now (outbox reads). */
    public StoreBacklog.Snapshot storeBacklog() {
        return backlog.snapshot();
    }

    /** Dead letters now (a database read). */
    public long deadLetterCount() {
        return storage.outbox().countDead();
    }

    /**
     * Requeues a dead letter as new work with fresh attempts (its outbox row written again at the end, so it
     * runs after the chat's newer tasks). Waits for the outbox write.
     *
     * @throws TaskRejectedException if the engine is not running
     */
    public DeadLetterOutcome retryDead(TaskId id) {
        requireRunning();
        return desk.retry(id);
    }

    /** Requeues every dead letter (oldest first); returns how many. */
    public int retryAllDead() {
        requireRunning();
        return desk.retryAll();
    }

    /**
     * Purges a dead letter: its outbox row and status are deleted ({@code find} then knows nothing of it).
     *
     * @throws TaskRejectedException if the engine is not running
     */
    public DeadLetterOutcome purgeDead(TaskId id) {
        requireRunning();
        return desk.purge(id);
    }

    /** Purges every dead letter; returns how many. */
    public int purgeAllDead() {
        requireRunning();
        return desk.purgeAll();
    }

    public TaskEngineSettings settings() {
        return settings;
    }

    /** The engine's clock (deadlines passed to {@link #retrieve} are on it). */
    public Clock clock() {
        return clock;
    }

    /**
     * Stops intake, lets queued and running tasks finish until the drain deadline, then cancels the rest
     * (durable ones stay in the outbox for the next start) and stops the engine's threads. Idempotent.
     */
    @Override
    public void close() {
        Phase was = phase.getAndUpdate(p -> p == Phase.CLOSED ? p : Phase.CLOSING);
        if (was == Phase.CLOSING || was == Phase.CLOSED) return;
        periodic.stop();
        if (cluster != null) cluster.stopClaiming();
        dispatcher.stopIntake();
        outcomes.cancelled(dispatcher.cancelRetryWaiting());
        boolean drained = awaitDrained(settings.drainDeadline());
        if (!drained) {
            outcomes.cancelled(dispatcher.halt());
            dispatcher.runningJobs().forEach(Job::requestStop);
            awaitDrained(STOP_GRACE);
        }
        executors.close();
        pipe.close();
        if (cluster != null) cluster.close();
        removeMeters();
        phase.set(Phase.CLOSED);
        log.info("task engine stopped ({}); {} durable tasks left in the outbox", drained ? "drained" : "drain deadline passed",
                status().totals().inOutbox());
    }

    /**
     * Simulates a process kill: every further database write of this engine is refused, threads are
     * interrupted, nothing is drained or recorded. For restart tests only.
     */
    void crashForTest() {
        if (cluster != null) cluster.crash();
        fence.drop();
        phase.set(Phase.CLOSED);
        periodic.stop();
        dispatcher.halt();
        dispatcher.runningJobs().forEach(Job::requestStop);
        executors.close();
        pipe.close();
        removeMeters();
    }

    /** Background outbox writes queued again after a retriable failure, since start (tests). */
    long outboxRequeues() {
        return pipe.requeued();
    }

    TaskRegistry registry() {
        return registry;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    RecallCoordinator<R> recallCoordinator() {
        return recall;
    }

    private void requireRunning() {
        if (phase.get() != Phase.RUNNING) throw new TaskRejectedException("task engine is not running");
    }

    private void submitFollowUp(MemoryTask next) {
        try {
            submit(next);
        } catch (TaskRejectedException e) {
            log.debug("follow-up {} dropped: {}", next.type().wire(), e.getMessage());
        }
    }

    private void runAttempt(Job job) {
        if (cluster != null && job.type.durable() && !cluster.owns(job.chatId())) {
            outcomes.apply(job, job.attempts(), new Outcome.Cancelled("another instance holds the lease of its chat"));
            registry.forget(job.id); // if the lease comes back, the claim brings the task in again
            return;
        }
        runner.run(job);
    }

    /** Cluster mode: rows were claimed for this instance; the lanes read them (on the outbox thread). */
    private void claimed() {
        dispatcher.claimed();
        pipe.requestPull();
    }

    private void launchRejected(Job job) {
        outcomes.apply(job, job.attempts(), new Outcome.Cancelled("worker executor stopped"));
    }

    private boolean launchRetrieve(MemoryTask.Retrieve task, CompletableFuture<Object> result) {
        metrics.increment(TaskMetrics.Count.SUBMITTED, TaskType.RETRIEVE);
        Instant now = clock.instant();
        Job job = newJob(ids.next(TaskType.RETRIEVE), task, now, 0, result);
        if (dispatcher.offer(job)) return true;
        outcomes.rejected(job, now);
        return false;
    }

    private Job newJob(TaskId id, MemoryTask task, Instant at, int priorAttempts, CompletableFuture<Object> result) {
        return new Job(id, task, seq.incrementAndGet(), at, priorAttempts, result);
    }

    /** Waits until nothing is queued or running in memory (shutdown), or {@code deadline} passes. */
    private boolean awaitDrained(Duration deadline) {
        AtomicBoolean expired = new AtomicBoolean();
        DelayScheduler.Cancellable timer = executors.scheduler().schedule(deadline, () -> {
            expired.set(true);
            dispatcher.wake();
        });
        try {
            return dispatcher.awaitIdle(expired::get);
        } finally {
            timer.cancel();
        }
    }

    private void removeMeters() {
        if (meterRegistry != null) meters.forEach(meterRegistry::remove);
    }

    private static void joinDurable(CompletableFuture<Void> write) {
        join(write);
    }

    static <T> T join(CompletableFuture<T> write) {
        try {
            return write.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }
}
