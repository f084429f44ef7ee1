package dev.engram.memory.graph;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;

/**
 * Graph recall as a fusion source ({@value #NAME}): activation spreading over the newest snapshot
 * ({@link ActivationSearch}); candidates are items of the asking chat only, keyed {@code g:<itemId>},
 * with their provenance message ids.
 *
 * <p>Never blocks on the graph's writer: it reads one immutable snapshot (a volatile read) and works on
 * it alone, so a result is always consistent with one published version. No LLM, no database. Checks the
 * deadline between phases and returns early (empty) once it has passed. Thread-safe.
 */
public final class GraphSource implements MemorySource {
    /** The source name reported on memories. */
    public static final String NAME = "graph";

    private final GraphStore store;
    private final ActivationSearch search;
    private final Clock clock;

    GraphSource(GraphStore store, ActivationSearch search, Clock clock) {
        this.store = store;
        this.search = search;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Candidate> search(String chatId, String query, int k, Instant deadline) {
        if (k <= 0 || query == null || query.isBlank() || clock.instant().isAfter(deadline)) return List.of();
        GraphSnapshot g = store.snapshot();
        if (g.nodeCount() == 0) return List.of();
        ActivationSearch.Activation a = search.activate(g, query);
        if (a.levels().isEmpty() || clock.instant().isAfter(deadline)) return List.of();
        List<Candidate> out = new ArrayList<>();
        for (ActivationSearch.ScoredItem s : search.rank(g, a, chatId, query, k)) {
            GraphItem item = s.item();
            out.add(new Candidate("g:" + item.id(), item.text(), s.score(), item.messageIds(), item.createdAt()));
        }
        return out;
    }
}
