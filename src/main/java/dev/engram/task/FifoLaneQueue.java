package dev.engram.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A lane whose tasks run in arrival order (interactive, maintenance). Not thread-safe. */
final class FifoLaneQueue extends LaneQueue {
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();

    FifoLaneQueue(Lane lane, int concurrency, int bound) {
        super(lane, concurrency, bound);
    }

    @Override
    int queued() {
        return jobs.size();
    }

    @Override
    void enqueue(Job job) {
        jobs.addLast(job);
    }

    @Override
    void requeue(Job job) {
        jobs.addLast(job);
    }

    @Override
    Job peek() {
        return jobs.peekFirst();
    }

    @Override
    Job poll() {
        return jobs.pollFirst();
    }

    @Override
    void done(Job job) {
    }

    @Override
    List<Job> clear() {
        List<Job> all = new ArrayList<>(jobs);
        jobs.clear();
        return all;
    }
}
