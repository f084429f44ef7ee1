package dev.engram.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.engram.store.OutboxRepository;

/**
 * Where {@code find} looks: tasks in memory (queued, running, waiting to retry), recently finished tasks
 * (a bounded cache that expires) and dead letters (bounded, most recent kept). A durable task that waits
 * in the outbox only is reported as queued. Thread-safe.
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
    private final Map<TaskId, TaskView> deadLetters;
    private final int deadLetterMax;
    private final OutboxRepository outbox;

    TaskRegistry(TaskEngineSettings settings, Ticker ticker, OutboxRepository outbox) {
        this.finished = Caffeine.newBuilder()
                .maximumSize(settings.finishedMaxEntries())
                .expireAfterWrite(settings.finishedRetention())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        this.deadLetterMax = settings.deadLetterMax();
        this.deadLetters = new LinkedHashMap<>();
        this.outbox = outbox;
    }

    void track(Job job) {
        live.put(job.id, job);
    }

    /** Records a final view; background tasks that failed are also dead-lettered. */
    void finish(TaskView view) {
        finished.put(view.id(), view);
        live.remove(view.id());
        if ((view.state() == TaskState.FAILED || view.state() == TaskState.DEAD) && view.type() != TaskType.RETRIEVE) {
            deadLetter(view);
        }
    }

    /** Records a task dead-lettered by an earlier run (found in the outbox with no attempts left). */
    void deadLetter(TaskView view) {
        synchronized (deadLetters) {
            deadLetters.remove(view.id());
            deadLetters.put(view.id(), view);
            if (deadLetters.size() > deadLetterMax) {
                deadLetters.remove(deadLetters.keySet().iterator().next());
            }
        }
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

    /** Whether the task is in memory, being acknowledged, recently finished or dead-lettered in this run. */
    boolean isKnown(TaskId id) {
        if (live.containsKey(id) || removing.containsKey(id) || finished.getIfPresent(id) != null) return true;
        synchronized (deadLetters) {
            return deadLetters.containsKey(id);
        }
    }

    Optional<TaskView> find(TaskId id) {
        Job job = live.get(id);
        if (job != null) return Optional.of(job.view());
        TaskView done = finished.getIfPresent(id);
        if (done == null) done = removing.get(id);
        if (done != null) return Optional.of(done);
        synchronized (deadLetters) {
            TaskView dead = deadLetters.get(id);
            if (dead != null) return Optional.of(dead);
        }
        return Optional.empty();
    }

    /** Whether a durable task waits in the outbox only (a database read). */
    boolean inOutbox(TaskId id) {
        return outbox.contains(id.value());
    }

    List<Job> liveJobs() {
        return new ArrayList<>(live.values());
    }

    List<TaskView> deadLetters() {
        synchronized (deadLetters) {
            return List.copyOf(deadLetters.values());
        }
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
