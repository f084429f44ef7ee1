package dev.engram.task;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.engram.store.Storage;

/**
 * The {@link TaskContext} of one attempt. Used by the attempt's thread only, except
 * {@link #acknowledged()}, which the same thread reads after the handler returned.
 */
final class JobContext implements TaskContext {
    private final TaskId taskId;
    private final int attempt;
    private final Instant deadline;
    private final Executor cpu;
    private final Storage storage;
    private final boolean durable;
    private final Fence fence;
    private boolean commitCalled;
    private volatile boolean acknowledged;

    JobContext(TaskId taskId, int attempt, Instant deadline, Executor cpu, Storage storage, boolean durable,
               Fence fence) {
        this.taskId = taskId;
        this.attempt = attempt;
        this.deadline = deadline;
        this.cpu = cpu;
        this.storage = storage;
        this.durable = durable;
        this.fence = fence;
    }

    @Override
    public TaskId taskId() {
        return taskId;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Executor cpuExecutor() {
        return cpu;
    }

    @Override
    public <T> T commit(Function<Storage, T> work) {
        if (commitCalled) throw new IllegalStateException("commit may be called once per attempt (task " + taskId + ")");
        commitCalled = true;
        T result = storage.inTransaction(tx -> {
            T value = work.apply(tx);
            if (durable && !tx.outbox().remove(taskId.value())) throw new DuplicateTaskException(taskId);
            fence.check();
            return value;
        });
        acknowledged = durable;
        return result;
    }

    /** Whether the handler removed the task's outbox row in its own committed transaction. */
    boolean acknowledged() {
        return acknowledged;
    }
}
