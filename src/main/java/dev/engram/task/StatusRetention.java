package dev.engram.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.Storage;

/**
 * Keeps the status rows of finished (succeeded) tasks bounded, per durable task type: rows of tasks
 * submitted more than {@code statusRetention} ago, and rows beyond the newest {@code statusMaxEntries},
 * are deleted. Task ids of a type sort by creation, so both prunes are id ranges of the table's primary
 * key. Rows of dead letters and of unfinished tasks are not touched here (they live as long as their
 * outbox row).
 *
 * <p>When: on the first batch, then once {@link #pruneEvery} more finished statuses were written, or once
 * {@link #INTERVAL} passed with at least one written. So a type holds at most {@code statusMaxEntries +
 * pruneEvery} finished rows ({@code pruneEvery} is a tenth of the maximum). Not thread-safe: used only on
 * the {@link OutboxPipe}'s thread.
 */
final class StatusRetention {
    private static final Logger log = LoggerFactory.getLogger(StatusRetention.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final List<String> FINISHED = List.of(TaskState.SUCCEEDED.name());
    private static final List<TaskType> DURABLE = java.util.Arrays.stream(TaskType.values()).filter(TaskType::durable)
            .toList();

    private final Duration retention;
    private final int maxEntries;
    private final int pruneEvery;
    private final Clock clock;
    private int writtenSince;
    private Instant lastPrune;

    StatusRetention(TaskEngineSettings settings, Clock clock) {
        this.retention = settings.statusRetention();
        this.maxEntries = settings.statusMaxEntries();
        this.pruneEvery = Math.max(1, maxEntries / 10);
        this.clock = clock;
    }

    /** {@code written} finished statuses were just committed; prunes if due. Never throws. */
    void recorded(int written, Storage storage, Fence fence) {
        writtenSince += written;
        Instant now = clock.instant();
        boolean due = lastPrune == null || writtenSince >= pruneEvery
                || (writtenSince > 0 && !now.isBefore(lastPrune.plus(INTERVAL)));
        if (!due) return;
        lastPrune = now;
        writtenSince = 0;
        try {
            int pruned = storage.inTransaction(tx -> {
                int n = 0;
                for (TaskType type : DURABLE) {
                    String from = type.wire() + "-";
                    String to = type.wire() + ".";   // '.' follows '-': the end of the type's ids
                    n += tx.taskStatus().deleteRange(from, TaskIdGenerator.lowestIdAt(type, now.minus(retention)),
                            FINISHED);
                    n += tx.taskStatus().deleteBeyond(from, to, FINISHED, maxEntries);
                }
                fence.check();
                return n;
            });
            if (pruned > 0) log.debug("pruned {} finished task statuses", pruned);
        } catch (RuntimeException e) {
            log.warn("pruning finished task statuses failed; will try again: {}", OutcomeApplier.describe(e));
        }
    }
}
