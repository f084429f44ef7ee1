package dev.engram.task;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.OutboxRecord;
import dev.engram.store.Storage;

/**
 * The database work on dead letters: durable tasks that failed for good, whose outbox row is kept (marked
 * dead, so it is no longer live work) with a status row saying why. Each method runs inside the caller's
 * transaction {@code tx} (the {@link OutboxPipe}'s): requeueing writes the row again as new live work with
 * no attempts and a QUEUED status; purging deletes the row and its status; {@link #trim} keeps at most
 * {@code deadLetterMax} of them, purging the oldest (logged). Stateless apart from its settings; thread-safe.
 */
final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final int max;
    private final TaskCodec codec;
    private final Clock clock;

    DeadLetters(TaskEngineSettings settings, TaskCodec codec, Clock clock) {
        this.max = settings.deadLetterMax();
        this.codec = codec;
        this.clock = clock;
    }

    /** Requeues one dead letter; returns its new row, or nothing if {@code taskId} is not a dead letter. */
    List<OutboxRecord> requeue(Storage tx, String taskId) {
        Optional<OutboxRecord> row = tx.outbox().requeueDead(taskId);
        row.ifPresent(r -> queued(tx, r));
        return row.stream().toList();
    }

    /** Requeues every dead letter, oldest first; returns their new rows. */
    List<OutboxRecord> requeueAll(Storage tx) {
        List<OutboxRecord> requeued = new ArrayList<>();
        for (OutboxRecord dead : tx.outbox().listDead(Integer.MAX_VALUE, false)) requeued.addAll(requeue(tx, dead.taskId()));
        return requeued;
    }

    /** Purges one dead letter; returns its row, or nothing if {@code taskId} is not a dead letter. */
    List<OutboxRecord> purge(Storage tx, String taskId) {
        Optional<OutboxRecord> row = tx.outbox().removeDead(taskId);
        row.ifPresent(r -> tx.taskStatus().remove(r.taskId()));
        return row.stream().toList();
    }

    /** Purges every dead letter; returns their rows. */
    List<OutboxRecord> purgeAll(Storage tx) {
        List<OutboxRecord> purged = new ArrayList<>();
        for (OutboxRecord dead : tx.outbox().listDead(Integer.MAX_VALUE, false)) purged.addAll(purge(tx, dead.taskId()));
        return purged;
    }

    /** Purges the oldest dead letters beyond {@code deadLetterMax}. */
    void trim(Storage tx) {
        long over = tx.outbox().countDead() - max;
        if (over <= 0) return;
        List<String> purged = new ArrayList<>();
        for (OutboxRecord dead : tx.outbox().listDead((int) Math.min(over, Integer.MAX_VALUE), false)) {
            purge(tx, dead.taskId());
            purged.add(dead.taskId());
        }
        log.warn("more than tasks.dead_letter_max={} dead letters: purged the {} oldest {}", max, purged.size(),
                purged.size() <= 5 ? purged : purged.subList(0, 5) + "…");
    }

    private void queued(Storage tx, OutboxRecord row) {
        TaskType type = TaskType.fromWire(row.type()).orElse(null);
        if (type == null) return;
        try {
            tx.taskStatus().put(codec.status(new TaskView(new TaskId(row.taskId()), type, TaskState.QUEUED, 0, null,
                    row.chatId(), row.createdAt(), clock.instant())));
        } catch (IllegalArgumentException e) {
            tx.taskStatus().remove(row.taskId());
        }
    }
}
