package dev.engram.task;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits Build, Forget and Consolidate on their intervals. Each tick re-arms the next one on the
 * scheduler (fixed delay), and hands the submission to the worker executor so the timer thread never
 * touches the database. A tick is skipped while the previous tick's task of that type has not finished,
 * so slow maintenance never piles up. In a cluster a tick submits only on the instance that holds (or, if
 * it is free or expired, takes) the maintenance lease, so one instance runs maintenance at a time and
 * another takes over once a dead leader's lease expired.
 *
 * <p>Concurrency: thread-safe; {@code timers} and {@code last} are guarded by {@code this}.
 */
final class PeriodicSubmitter {
    private static final Logger log = LoggerFactory.getLogger(PeriodicSubmitter.class);
    private static final TaskType[] TYPES = {TaskType.BUILD, TaskType.FORGET, TaskType.CONSOLIDATE};

    private final PeriodicSchedule schedule;
    private final DelayScheduler scheduler;
    private final Executor executor;
    private final Function<MemoryTask, TaskId> submit;
    private final Function<TaskId, Optional<TaskView>> find;
    private final java.util.function.BooleanSupplier leader;
    private final Map<TaskType, DelayScheduler.Cancellable> timers = new EnumMap<>(TaskType.class);
    private final Map<TaskType, TaskId> last = new EnumMap<>(TaskType.class);
    private boolean stopped;

    PeriodicSubmitter(PeriodicSchedule schedule, DelayScheduler scheduler, Executor executor,
                      Function<MemoryTask, TaskId> submit, Function<TaskId, Optional<TaskView>> find,
                      java.util.function.BooleanSupplier leader) {
        this.leader = leader;
        this.schedule = schedule;
        this.scheduler = scheduler;
        this.executor = executor;
        this.submit = submit;
        this.find = find;
    }

    synchronized void start() {
        for (TaskType type : TYPES) {
            if (schedule.interval(type) != null) arm(type);
        }
    }

    synchronized void stop() {
        stopped = true;
        timers.values().forEach(DelayScheduler.Cancellable::cancel);
        timers.clear();
    }

    private void arm(TaskType type) {
        timers.put(type, scheduler.schedule(schedule.interval(type), () -> tick(type)));
    }

    private synchronized void tick(TaskType type) {
        if (stopped) return;
        arm(type);
        try {
            executor.execute(() -> submitUnlessPending(type));
        } catch (RejectedExecutionException e) {
            log.debug("periodic {} not submitted: engine stopping", type.wire());
        }
    }

    private void submitUnlessPending(TaskType type) {
        TaskId previous;
        synchronized (this) {
            if (stopped) return;
            previous = last.get(type);
        }
        if (!leader.getAsBoolean()) {
            log.debug("periodic {} skipped: another instance leads maintenance", type.wire());
            return;
        }
        if (previous != null && find.apply(previous).map(v -> !v.state().isFinal()).orElse(false)) {
            log.debug("periodic {} skipped: {} has not finished", type.wire(), previous);
            return;
        }
        try {
            TaskId id = submit.apply(switch (type) {
                case BUILD -> new MemoryTask.Build();
                case FORGET -> new MemoryTask.Forget();
                case CONSOLIDATE -> new MemoryTask.Consolidate();
                case STORE, RETRIEVE, PREFETCH -> throw new IllegalArgumentException(type + " is not periodic");
            });
            synchronized (this) {
                last.put(type, id);
            }
        } catch (RuntimeException e) {
            log.warn("periodic {} could not be submitted: {}", type.wire(), e.toString());
        }
    }
}
