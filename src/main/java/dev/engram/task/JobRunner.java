package dev.engram.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import dev.engram.common.Failures;

/**
 * Runs one attempt of a task on the calling worker thread and decides its {@link Outcome}.
 *
 * <p>Steps: (1) start the attempt and arm its timeout on the scheduler — the timeout interrupts the
 * thread; (2) run the handler; (3) disarm the timeout and claim the attempt — if the timeout claimed it
 * first, the attempt timed out whatever the handler returned; (4) clear any interrupt meant for the
 * handler; (5) classify: no failure → succeeded; stopped by shutdown → cancelled; non-retriable → failed;
 * retriable with attempts left (the type's {@code maxAttempts}, lowered by the failure's own
 * {@link Failures#attemptLimit}) → retry after backoff; otherwise dead; (6) after a success, submit the
 * handler's follow-up tasks. Thread-safe (stateless apart from its collaborators).
 */
final class JobRunner {
    private final TaskHandlers<?> handlers;
    private final TaskEngineSettings settings;
    private final Clock clock;
    private final DelayScheduler scheduler;
    private final Fence fence;
    private final RandomGenerator random;
    private final OutcomeApplier outcomes;
    private final Consumer<MemoryTask> followUps;

    /** @param followUps submits a succeeded attempt's follow-up tasks (never throws) */
    JobRunner(TaskHandlers<?> handlers, TaskEngineSettings settings, Clock clock, DelayScheduler scheduler, Fence fence,
              RandomGenerator random, OutcomeApplier outcomes, Consumer<MemoryTask> followUps) {
        this.handlers = handlers;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.fence = fence;
        this.random = random;
        this.outcomes = outcomes;
        this.followUps = followUps;
    }

    void run(Job job) {
        if (fence.isDown()) return;
        int attempt = job.beginAttempt(Thread.currentThread());
        Instant start = clock.instant();
        Duration timeout = timeout(job, start);
        JobContext context = new JobContext(job.id, attempt, start.plus(timeout));
        Object value = null;
        Throwable failure = null;
        boolean ran = timeout.isPositive(); // a retrieval whose deadline passed while queued does not run
        if (ran) {
            DelayScheduler.Cancellable timer = scheduler.schedule(timeout, () -> job.timeOut(attempt));
            try {
                value = handlers.invoke(job.task, context);
            } catch (Throwable t) {
                failure = t;
            } finally {
                timer.cancel();
            }
        }
        boolean timedOut = !job.endAttempt() || !ran;
        Thread.interrupted();
        if (fence.isDown()) return;
        Outcome outcome = classify(job, attempt, value, failure, timedOut, timeout);
        outcomes.apply(job, attempt, outcome);
        if (outcome instanceof Outcome.Succeeded) context.followUps().forEach(followUps);
    }

    private Duration timeout(Job job, Instant now) {
        Duration timeout = settings.policy(job.type).timeout();
        if (job.task instanceof MemoryTask.Retrieve r) {
            Duration left = Duration.between(now, r.deadline());
            if (left.compareTo(timeout) < 0) timeout = left;
        }
        return timeout;
    }

    private Outcome classify(Job job, int attempt, Object value, Throwable failure, boolean timedOut,
                             Duration timeout) {
        if (timedOut) {
            failure = new TimeoutException(job.type.wire() + " task " + job.id + " timed out after " + timeout);
        }
        if (failure == null) {
            return new Outcome.Succeeded(job.type == TaskType.RETRIEVE ? value : null);
        }
        if (job.stopRequested()) return new Outcome.Cancelled("engine stopped during the attempt");
        TaskPolicy policy = settings.policy(job.type);
        if (!Failures.isRetriable(failure)) return new Outcome.Failed(failure);
        if (attempt >= Math.min(policy.maxAttempts(), Failures.attemptLimit(failure))) return new Outcome.Dead(failure);
        return new Outcome.Retry(failure, Backoff.delay(policy, attempt, random));
    }
}
