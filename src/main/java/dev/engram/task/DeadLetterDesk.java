package dev.engram.task;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.OutboxRecord;
import dev.engram.store.Storage;

/**
 * The engine's dead-letter operations: listing them (outbox rows marked dead, shown by their status rows)
 * and retrying or purging them through the {@link OutboxPipe}. A retry is one transaction (the row written
 * again as live work, a QUEUED status); after it commits, on the pipe's thread and so before any later pull,
 * the task is forgotten by the registry and admitted to its lane again (in a cluster: left for the claim,
 * whichever instance holds its chat). Callers wait for the commit.
 * Thread-safe.
 */
final class DeadLetterDesk {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDesk.class);

    private final Storage storage;
    private final OutboxPipe pipe;
    private final DeadLetters work;
    private final TaskRegistry registry;
    private final java.util.function.Consumer<Job> admit;
    private final TaskCodec codec;
    private final Clock clock;
    private final OutboxFeeder.JobFactory jobs;
    private final Function<TaskId, Optional<TaskView>> find;

    DeadLetterDesk(Storage storage, OutboxPipe pipe, DeadLetters work, TaskRegistry registry, java.util.function.Consumer<Job> admit,
                   TaskCodec codec, Clock clock, OutboxFeeder.JobFactory jobs, Function<TaskId, Optional<TaskView>> find) {
        this.storage = storage;
        this.pipe = pipe;
        this.work = work;
        this.registry = registry;
        this.admit = admit;
        this.codec = codec;
        this.clock = clock;
        this.jobs = jobs;
        this.find = find;
    }

    /** The newest dead letters, at most {@code limit}, as their status rows show them. */
    List<TaskView> list(int limit) {
        List<TaskView> views = new ArrayList<>();
        for (OutboxRecord row : storage.outbox().listDead(limit, true)) {
            Optional<TaskType> type = TaskType.fromWire(row.type());
            TaskId id;
            try {
                id = new TaskId(row.taskId());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (type.isEmpty()) continue;
            views.add(storage.taskStatus().find(row.taskId()).flatMap(codec::view)
                    .filter(v -> v.state() == TaskState.DEAD || v.state() == TaskState.FAILED)
                    .orElse(new TaskView(id, type.get(), TaskState.DEAD, row.attempts(), "no status recorded",
                            row.chatId(), row.createdAt(), row.createdAt())));
        }
        return views;
    }

    DeadLetterOutcome retry(TaskId id) {
        String value = id.value();
        return outcome(id, TaskEngine.join(pipe.onDeadLetters(tx -> work.requeue(tx, value), this::readmit)));
    }

    int retryAll() {
        return TaskEngine.join(pipe.onDeadLetters(work::requeueAll, this::readmit)).size();
    }

    DeadLetterOutcome purge(TaskId id) {
        String value = id.value();
        return outcome(id, TaskEngine.join(pipe.onDeadLetters(tx -> work.purge(tx, value), this::forget)));
    }

    int purgeAll() {
        return TaskEngine.join(pipe.onDeadLetters(work::purgeAll, this::forget)).size();
    }

    private DeadLetterOutcome outcome(TaskId id, List<OutboxRecord> done) {
        if (!done.isEmpty()) return DeadLetterOutcome.DONE;
        return find.apply(id).isPresent() ? DeadLetterOutcome.NOT_DEAD : DeadLetterOutcome.NOT_FOUND;
    }

    /** Runs on the outbox thread after a requeue committed: the tasks enter their lanes again. */
    private void readmit(List<OutboxRecord> rows) {
        for (OutboxRecord row : rows) {
            TaskId id = new TaskId(row.taskId());
            registry.forget(id);
            MemoryTask task;
            try {
                task = codec.decode(row);
            } catch (RuntimeException e) {
                TaskView failed = new TaskView(id, TaskType.fromWire(row.type()).orElseThrow(), TaskState.FAILED, 0,
                        "unreadable outbox row: " + e.getMessage(), row.chatId(), row.createdAt(), clock.instant());
                pipe.markDead(row.taskId(), 0, codec.status(failed));
                continue;
            }
            log.info("dead letter {} requeued", id);
            admit.accept(jobs.create(id, task, row.createdAt(), 0));
        }
    }

    /** Runs on the outbox thread after a purge committed. */
    private void forget(List<OutboxRecord> rows) {
        for (OutboxRecord row : rows) {
            registry.forget(new TaskId(row.taskId()));
            log.info("dead letter {} purged", row.taskId());
        }
    }
}
