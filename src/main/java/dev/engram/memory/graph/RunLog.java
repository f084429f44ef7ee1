package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.GraphRepository;

/**
 * The last run of each maintenance operation (persisted, so status survives a restart) and the
 * progress of the build in flight. Thread-safe: lock-free reads, writes from the maintenance thread.
 */
final class RunLog {
    static final String BUILD = "build";
    static final String FORGET = "forget";
    static final String CONSOLIDATE = "consolidate";

    private static final Logger log = LoggerFactory.getLogger(RunLog.class);

    private final GraphStore store;
    private final Map<String, GraphStatus.RunInfo> last = new ConcurrentHashMap<>();
    private final AtomicReference<BuildProgress> current = new AtomicReference<>();

    RunLog(GraphStore store) {
        this.store = store;
    }

    /** Reads the stored runs (at start). */
    void load() {
        for (GraphRepository.RunRow r : store.runs()) {
            last.put(r.kind(), new GraphStatus.RunInfo(r.startedAt(), r.durationMillis(), r.outcome(), r.summary()));
        }
    }

    /** Remembers a finished run; a failure to persist it is logged, never thrown. */
    void record(String kind, Instant startedAt, long durationMillis, String outcome, String summary) {
        last.put(kind, new GraphStatus.RunInfo(startedAt, durationMillis, outcome, summary));
        try {
            store.recordRun(new GraphRepository.RunRow(kind, startedAt, durationMillis, outcome, summary));
        } catch (RuntimeException e) {
            log.warn("cannot persist the {} run record", kind, e);
        }
    }

    GraphStatus.RunInfo last(String kind) {
        return last.get(kind);
    }

    BuildProgress current() {
        return current.get();
    }

    void progress(BuildProgress p, BuildProgressListener listener) {
        current.set(p);
        try {
            listener.onProgress(p);
        } catch (RuntimeException e) {
            log.warn("build progress listener failed; ignored", e);
        }
    }

    void buildFinished() {
        current.set(null);
    }
}
