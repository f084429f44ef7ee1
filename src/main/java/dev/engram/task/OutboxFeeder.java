package dev.engram.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.OutboxRecord;

/**
 * Brings durable tasks from the outbox into spilled lanes: the replay at start, and the catch-up after
 * backpressure. Runs only on the {@link OutboxPipe}'s thread (one pull at a time).
 *
 * <p>Algorithm, per durable lane, while the lane is spilled and has room:
 * <ol>
 *   <li>take a ticket (cursor, spill epoch, room) from the dispatcher;</li>
 *   <li>read the next page of rows after the cursor, outside any lock;</li>
 *   <li>turn each row of the lane into a task, or, if it has no attempts left or cannot be read, mark it
 *       a dead letter (queued on the pipe, not awaited: this runs on the pipe's thread);</li>
 *   <li>let the dispatcher apply the page under its lock (skipping tasks it already knows).</li>
 * </ol>
 * If reading fails, the pull is retried after {@link #RETRY_DELAY}.
 */
final class OutboxFeeder implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OutboxFeeder.class);
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    private static final List<Lane> DURABLE_LANES = List.of(Lane.INGEST, Lane.MAINTENANCE);
    /** Rows a pull reads at least, whatever the write batch size (pulls read; only writes are grouped). */
    private static final int MIN_PAGE = 16;

    /**
     * Where pulls read live rows: after a position, in position order, at most {@code limit}; the position is
     * the row's {@code seq} — the outbox order on one instance, this instance's claim order in a cluster.
     */
    @FunctionalInterface
    interface RowSource {
        List<OutboxRecord> after(long position, int limit);
    }

    /** Makes the in-memory task for a row. */
    @FunctionalInterface
    interface JobFactory {
        Job create(TaskId id, MemoryTask task, Instant submittedAt, int priorAttempts);
    }

    private final Dispatcher dispatcher;
    private final RowSource outbox;
    private final TaskCodec codec;
    private final TaskEngineSettings settings;
    private final JobFactory jobs;
    private final DelayScheduler scheduler;
    private final Runnable requestPull;
    private final Consumer<TaskView> deadLetter;
    private final TaskRegistry registry;

    /** @param deadLetter marks a row a dead letter with the given status (must not block) */
    OutboxFeeder(Dispatcher dispatcher, RowSource outbox, TaskCodec codec, TaskEngineSettings settings,
                 JobFactory jobs, DelayScheduler scheduler, Runnable requestPull, Consumer<TaskView> deadLetter,
                 TaskRegistry registry) {
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.codec = codec;
        this.settings = settings;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.requestPull = requestPull;
        this.deadLetter = deadLetter;
        this.registry = registry;
    }

    @Override
    public void run() {
        try {
            for (Lane lane : DURABLE_LANES) pull(lane);
        } catch (RuntimeException e) {
            log.warn("reading the task outbox failed; retrying in {}", RETRY_DELAY, e);
            scheduler.schedule(RETRY_DELAY, requestPull);
        }
    }

    private void pull(Lane lane) {
        while (true) {
            Dispatcher.PullTicket ticket = dispatcher.beginPull(lane);
            if (ticket == null) return;
            int page = Math.clamp(ticket.room(), MIN_PAGE, Math.max(MIN_PAGE, settings.outboxBatchSize()));
            List<OutboxRecord> rows = outbox.after(ticket.cursor(), page);
            List<Dispatcher.PulledRow> pulled = new ArrayList<>(rows.size());
            for (OutboxRecord row : rows) pulled.add(toPulled(row, lane));
            if (!dispatcher.applyPull(ticket, pulled, page)) return;
        }
    }

    private Dispatcher.PulledRow toPulled(OutboxRecord row, Lane lane) {
        TaskType type = TaskType.fromWire(row.type()).orElse(null);
        TaskId id;
        try {
            id = new TaskId(row.taskId());
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (type == null || id == null) {
            if (lane == Lane.INGEST) {
                log.warn("skipping outbox row {} of unknown type or id: type={}, id={}", row.seq(), row.type(), row.taskId());
            }
            return new Dispatcher.PulledRow(row.seq(), null, id, null);
        }
        if (type.lane() != lane || registry.isKnown(id)) return new Dispatcher.PulledRow(row.seq(), type.lane(), id, null);
        if (row.attempts() >= settings.policy(type).maxAttempts()) {
            return deadLetter(row, id, type, TaskState.DEAD, "no attempts left (dead-lettered by an earlier run)");
        }
        try {
            MemoryTask task = codec.decode(row);
            return new Dispatcher.PulledRow(row.seq(), type.lane(), id, jobs.create(id, task, row.createdAt(), row.attempts()));
        } catch (RuntimeException e) {
            return deadLetter(row, id, type, TaskState.FAILED, "unreadable outbox row: " + e.getMessage());
        }
    }

    private Dispatcher.PulledRow deadLetter(OutboxRecord row, TaskId id, TaskType type, TaskState state, String error) {
        log.warn("outbox row of task {} is a dead letter: {}", id, error);
        deadLetter.accept(new TaskView(id, type, state, row.attempts(), error, row.chatId(), row.createdAt(),
                row.createdAt()));
        return new Dispatcher.PulledRow(row.seq(), type.lane(), id, null);
    }
}
