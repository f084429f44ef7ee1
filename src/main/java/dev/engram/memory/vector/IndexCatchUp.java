package dev.engram.memory.vector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of the index's load at start: a catch-up with what the last run may not have made durable, or a
 * full rebuild. It runs in the background ({@link LuceneMemoryIndex#startCatchUp}) while the server already
 * answers; {@code GET /health} and {@code GET /api/status} show this. Thread-safe: written by the one loading
 * thread, read by any.
 */
public final class IndexCatchUp {
    /** Where the load is. */
    public enum State {
        /** Opened, the load not yet started. */
        PENDING,
        /** Indexing what the last commit missed. */
        CATCHING_UP,
        /** Rebuilding the whole index from the database. */
        REBUILDING,
        /** Finished: the index holds every stored message and memory (within retention). */
        DONE,
        /** The load failed (the index serves what it has; live writes continue). */
        FAILED,
        /** Stopped early by a shutdown; the next open resumes it. */
        STOPPED
    }

    private final Clock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong messagesIndexed = new AtomicLong();
    private final AtomicLong memoriesIndexed = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();
    private volatile State state = State.PENDING;
    private volatile String reason = "ok";
    private volatile long fromMessageId;
    private volatile long fromMemoryId;
    private volatile long messageCursor;
    private volatile long messageTotal;
    private volatile long messagesScanned;
    private volatile Instant startedAt;
    private volatile Duration took;
    private volatile String error;

    IndexCatchUp(Clock clock) {
        this.clock = clock;
    }

    void started(boolean rebuild, String why, long messagesAfter, long memoriesAfter, long totalMessages) {
        reason = why;
        fromMessageId = messagesAfter;
        fromMemoryId = memoriesAfter;
        messageCursor = messagesAfter;
        messageTotal = totalMessages;
        startedAt = clock.instant();
        state = rebuild ? State.REBUILDING : State.CATCHING_UP;
    }

    void scanned(long lastMessageId, int pageSize) {
        messageCursor = lastMessageId;
        messagesScanned += pageSize;
    }

    void indexed(boolean message, ItemEmbeddings.Resolved r, int items) {
        (message ? messagesIndexed : memoriesIndexed).addAndGet(items);
        reused.addAndGet(r.reused());
        computed.addAndGet(r.computed());
    }

    void finished(Duration duration, Throwable failure, boolean stopped) {
        took = duration;
        if (failure != null) error = String.valueOf(failure.getMessage());
        state = failure != null ? State.FAILED : stopped ? State.STOPPED : State.DONE;
        finished.countDown();
    }

    public State state() {
        return state;
    }

    /** Whether the load has ended (done, failed or stopped). */
    public boolean finished() {
        return finished.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the load to end; returns whether it did. */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long messagesIndexed() {
        return messagesIndexed.get();
    }

    long memoriesIndexed() {
        return memoriesIndexed.get();
    }

    long reused() {
        return reused.get();
    }

    long computed() {
        return computed.get();
    }

    /** The {@code index_catch_up} section of {@code GET /api/status} (also in {@code GET /health}). */
    public Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        State st = state;
        s.put("state", st.name().toLowerCase(java.util.Locale.ROOT));
        s.put("reason", reason);
        s.put("from_message_id", fromMessageId);
        s.put("from_memory_id", fromMemoryId);
        s.put("message_cursor", messageCursor);
        s.put("messages_scanned", messagesScanned);
        if (messageTotal > 0) s.put("messages_total", messageTotal);
        s.put("messages_indexed", messagesIndexed.get());
        s.put("memories_indexed", memoriesIndexed.get());
        s.put("embeddings_reused", reused.get());
        s.put("embeddings_computed", computed.get());
        Instant start = startedAt;
        if (start != null) s.put("started_at", start.toString());
        Duration d = took;
        if (d != null) s.put("took_ms", d.toMillis());
        else if (start != null) s.put("running_ms", Duration.between(start, clock.instant()).toMillis());
        if (error != null) s.put("error", error);
        return s;
    }
}
