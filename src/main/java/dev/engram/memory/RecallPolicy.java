package dev.engram.memory;

import java.util.Set;

import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.task.RetrievePolicy;

/**
 * How the task engine answers memory retrievals that do not complete: {@code SKIPPED} when not attempted,
 * {@code TIMEOUT} when the deadline passed or the attempt failed; a caller never gets back a memory that came
 * only from its own excluded messages (what is cached is {@link dev.engram.memory.recall.RecallCache}'s call).
 * Immutable and thread-safe.
 */
public final class RecallPolicy implements RetrievePolicy<Recall> {
    /** The one instance (stateless). */
    public static final RecallPolicy INSTANCE = new RecallPolicy();

    private RecallPolicy() {
    }

    @Override
    public Recall skipped() {
        return Recall.empty(RecallStatus.SKIPPED);
    }

    @Override
    public Recall timedOut() {
        return Recall.empty(RecallStatus.TIMEOUT);
    }

    @Override
    public Recall empty() {
        return Recall.empty(RecallStatus.OK);
    }

    @Override
    public Recall forCaller(Recall recall, Set<Long> exclude) {
        if (exclude.isEmpty() || recall.memories().isEmpty()) return recall;
        var kept = recall.memories().stream()
                .filter(m -> m.messageIds().isEmpty() || !exclude.containsAll(m.messageIds()))
                .toList();
        return kept.size() == recall.memories().size() ? recall : new Recall(kept, recall.status());
    }
}
