package dev.engram.task;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;

/**
 * Applies an attempt's {@link Outcome}, in this order: (1) the outbox and the task's status row (queue the
 * deletion of a succeeded durable task's row; record attempts of a retried one and wait for it; mark a
 * failed or dead one a dead letter with no attempts left and wait for it), so the tables are right, or about to be, before anyone can see the new state; (2) the
 * retrieval's future; (3) counters; (4) the state move, which frees the permit and makes the result
 * visible; (5) the listener. (Cached retrievals are invalidated by the handlers that change what they
 * read: the engine does not know what a change is.) Runs on the worker's thread.
 * Thread-safe.
 */
final class OutcomeApplier {
    private static final Logger log = LoggerFactory.getLogger(OutcomeApplier.class);
    /** Outbox writes queued beyond which a worker waits for its own row's deletion. */
    static final int MAX_REMOVAL_BACKLOG = 4096;

    private final TaskEngineSettings settings;
    private final OutboxPipe outbox;
    private final Dispatcher dispatcher;
    private final DelayScheduler scheduler;
    private final RetrievePolicy<?> policy;
    private final TaskMetrics metrics;
    private final TaskListener listener;
    private final TaskRegistry registry;
    private final Clock clock;
    private final TaskCodec codec;

    OutcomeApplier(TaskEngineSettings settings, OutboxPipe outbox, Dispatcher dispatcher, DelayScheduler scheduler,
                   RetrievePolicy<?> policy, TaskMetrics metrics, TaskListener listener, TaskRegistry registry,
                   Clock clock, TaskCodec codec) {
        this.settings = settings;
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.policy = policy;
        this.metrics = metrics;
        this.listener = listener;
        this.registry = registry;
        this.clock = clock;
        this.codec = codec;
    }

    void apply(Job job, int attempt, Outcome outcome) {
        boolean durable = job.type.durable();
        switch (outcome) {
            case Outcome.Succeeded s -> {
                if (durable) acknowledge(job);
                complete(job, s.value() != null ? s.value() : policy.empty());
                metrics.increment(TaskMetrics.Count.SUCCEEDED, job.type);
                finish(job, TaskState.SUCCEEDED, null);
            }
            case Outcome.Retry r -> {
                metrics.increment(TaskMetrics.Count.RETRIED, job.type);
                if (durable) record(job, attempt, TaskState.RETRY_WAIT, r.cause(), attempt);
                log.debug("task {} attempt {} failed, retrying in {}: {}", job.id, attempt, r.delay(), describe(r.cause()));
                dispatcher.retryWait(job, describe(r.cause()));
                dispatcher.retryTimer(job, scheduler.schedule(r.delay(), () -> dispatcher.requeue(job)));
            }
            case Outcome.Failed f -> {
                if (durable) {
                    int noneLeft = Math.max(attempt, settings.policy(job.type).maxAttempts());
                    record(job, noneLeft, TaskState.FAILED, f.cause(), attempt);
                }
                complete(job, policy.timedOut());
                metrics.increment(TaskMetrics.Count.FAILED, job.type);
                report(job, "task {} failed (not retriable) after attempt {}: {}", attempt, f.cause());
                finish(job, TaskState.FAILED, describe(f.cause()));
            }
            case Outcome.Dead d -> {
                if (durable) record(job, attempt, TaskState.DEAD, d.cause(), attempt);
                complete(job, policy.timedOut());
                metrics.increment(TaskMetrics.Count.DEAD, job.type);
                report(job, "task {} is dead after {} attempts: {}", attempt, d.cause());
                finish(job, TaskState.DEAD, describe(d.cause()));
            }
            case Outcome.Cancelled c -> {
                complete(job, policy.skipped());
                metrics.increment(TaskMetrics.Count.CANCELLED, job.type);
                finish(job, TaskState.CANCELLED, c.reason());
            }
        }
    }

    /** A task its lane had no room for: QUEUED → CANCELLED without running. */
    void rejected(Job job, Instant now) {
        job.moveTo(TaskState.CANCELLED, now, "rejected: the " + job.type.lane().wire() + " lane is full");
        TaskView view = job.view();
        registry.finish(view);
        complete(job, policy.skipped());
        metrics.increment(TaskMetrics.Count.REJECTED, job.type);
        notifyListener(view);
    }

    /** Tasks the dispatcher already moved to CANCELLED without running them (shutdown). */
    void cancelled(List<Job> jobs) {
        for (Job job : jobs) {
            complete(job, policy.skipped());
            metrics.increment(TaskMetrics.Count.CANCELLED, job.type);
            notifyListener(job.view());
        }
    }

    /** Background failures are worth a warning; a retrieval's failure already became an empty answer. */
    private static void report(Job job, String format, int attempt, Throwable cause) {
        if (job.type == TaskType.RETRIEVE) {
            log.debug(format, job.id, attempt, describe(cause));
        } else {
            log.warn(format, job.id, attempt, describe(cause));
        }
    }

    private static void complete(Job job, Object value) {
        if (job.result != null) job.result.complete(value);
    }

    private void finish(Job job, TaskState state, String error) {
        notifyListener(dispatcher.finish(job, state, error));
    }

    private void notifyListener(TaskView view) {
        try {
            listener.onFinished(view);
        } catch (RuntimeException e) {
            log.warn("task listener failed on {}", view.id(), e);
        }
    }

    /**
     * Deletes a succeeded task's outbox row. The worker does not wait for the commit (the delete joins a
     * group commit) unless the writer's backlog is over {@link #MAX_REMOVAL_BACKLOG}, which bounds memory.
     */
    private void acknowledge(Job job) {
        TaskView done = job.view();
        TaskView succeeded = new TaskView(done.id(), done.type(), TaskState.SUCCEEDED, done.attempts(), null,
                done.chatId(), done.submittedAt(), clock.instant());
        registry.removing(succeeded);
        CompletableFuture<Void> removal = outbox.remove(job.id.value(), codec.status(succeeded));
        removal.whenComplete((ok, error) -> {
            registry.removed(job.id);
            if (error != null) {
                log.warn("task {}: deleting its outbox row failed; it will run again after a restart: {}", job.id,
                        describe(error));
            }
        });
        if (outbox.backlog() > MAX_REMOVAL_BACKLOG) removal.exceptionally(e -> null).join();
    }

    /**
     * Writes the attempts on a durable task's outbox row ({@code rowAttempts}; the row becomes a dead letter
     * unless {@code state} is RETRY_WAIT) and its status ({@code state} after {@code attempt} attempts,
     * failed by {@code cause}), and waits for the commit.
     */
    private void record(Job job, int rowAttempts, TaskState state, Throwable cause, int attempt) {
        TaskView now = job.view();
        TaskView status = new TaskView(now.id(), now.type(), state, attempt, describe(cause), now.chatId(),
                now.submittedAt(), clock.instant());
        await(job, state == TaskState.RETRY_WAIT ? outbox.setAttempts(job.id.value(), rowAttempts, codec.status(status))
                : outbox.markDead(job.id.value(), rowAttempts, codec.status(status)));
    }

    private static void await(Job job, CompletableFuture<Void> write) {
        try {
            write.join();
        } catch (CompletionException e) {
            log.warn("task {}: updating the outbox failed; the task may run again after a restart: {}", job.id,
                    describe(e));
        }
    }

    static String describe(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
