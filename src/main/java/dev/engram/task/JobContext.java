package dev.engram.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link TaskContext} of one attempt. Used by the attempt's thread only; {@link #followUps()} is read
 * by the same thread after the handler returned.
 */
final class JobContext implements TaskContext {
    private final TaskId taskId;
    private final int attempt;
    private final Instant deadline;
    private final List<MemoryTask> followUps = new ArrayList<>(1);

    JobContext(TaskId taskId, int attempt, Instant deadline) {
        this.taskId = taskId;
        this.attempt = attempt;
        this.deadline = deadline;
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
    public void followUp(MemoryTask next) {
        followUps.add(Objects.requireNonNull(next, "next"));
    }

    /** The tasks to submit if this attempt succeeded. */
    List<MemoryTask> followUps() {
        return followUps;
    }
}
