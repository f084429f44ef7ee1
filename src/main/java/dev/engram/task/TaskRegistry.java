package dev.engram.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.engram.store.OutboxRepository;

/**
 * Where {@code find} looks first: tasks in memory (queued, running, waiting to retry) and recently
 * finished tasks (a bounded cache that expires). Dead letters and older statuses are in the database
 * ({@link DeadLetters}, the task status table). Thread-safe.
 *
 * <p>Invariants: a task is in {@code live} from the moment it enters a lane until it is final; moving it
 * from {@code live} to the finished cache happens under the dispatcher's lock, and a finished durable
 * task stays in {@code removing} until its outbox row is deleted (entries leave on the outbox
 * thread, which is also the only thread that pulls). So {@link #isKnown}, called by a pull, never
 * mistakes a row of a task that is in memory or already done for new work. Nothing here grows with the
 * number of tasks ever run: {@code removing} is bounded by the outbox writer's backlog.
 */
final class TaskRegistry {
    private final ConcurrentHashMap<TaskId, Job> live = new ConcurrentHashMap<>();
    /** Succeeded durable tasks whose outbox row deletion is queued but not committed yet. */
    private final ConcurrentHashMap<TaskId, TaskView> removing = new ConcurrentHashMap<>();
    private final Cache<TaskId, TaskView> finished;
    private final OutboxRepository outbox;

    TaskRegistry(TaskEngineSettings settings, Ticker ticker, OutboxRepository outbox) {
        this.finished = Caffeine.newBuilder()
                .maximumSize(settings.finishedMaxEntries())
                .expireAfterWrite(settings.finishedRetention())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        this.outbox = outbox;
    }

    void track(Job job) {
        live.put(job.id, job);
    }

    /** Records a final view. */
    void finish(TaskView view) {
        finished.put(view.id(), view);
        live.remove(view.id());
    }

    /**
     * Forgets a finished task (a dead letter requeued or purged): until it is admitted again, {@code find}
     * reads the database. Called on the outbox thread, before the next pull.
     */
    void forget(TaskId id) {
        finished.invalidate(id);
    }

    /**
     * The task's outbox row is about to be deleted (call before the task leaves {@code live}); until the
     * deletion commits, {@code find} reports {@code view}, whatever the finished cache evicted.
     */
    void removing(TaskView view) {
        removing.put(view.id(), view);
    }

    /** The deletion of the task's outbox row committed (or failed: then a replay runs it again). */
    void removed(TaskId id) {
        removing.remove(id);
    }

    /** Whether the task is in memory, being acknowledged or recently finished in this run. */
    boolean isKnown(TaskId id) {
        return live.containsKey(id) || removing.containsKey(id) || finished.getIfPresent(id) != null;
    }

    Optional<TaskView> find(TaskId id) {
        Job job = live.get(id);
        if (job != null) return Optional.of(job.view());
        TaskView done = finished.getIfPresent(id);
        if (done == null) done = removing.get(id);
        return Optional.ofNullable(done);
    }

    /** Whether a durable task waits in the outbox only (a database read). */
    boolean inOutbox(TaskId id) {
        return outbox.contains(id.value());
    }

    List<Job> liveJobs() {
        return new ArrayList<>(live.values());
    }

    int liveCount() {
        return live.size();
    }

    int removingCount() {
        return removing.size();
    }

    long finishedCount() {
        finished.cleanUp();
        return finished.estimatedSize();
    }
}
