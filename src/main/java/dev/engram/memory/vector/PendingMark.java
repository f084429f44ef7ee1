package dev.engram.memory.vector;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.common.DurableFiles;

/**
 * The index's durable low-water mark: the lowest message id and the lowest memory id written to the index
 * since its last commit, i.e. what a crash may take away. Persisted in a small file next to the index
 * ({@value #FILE}), fsynced <em>before</em> a write whose ids are lower than the mark reaches the index, so
 * when a write returns (and its outbox row may go), a crash can no longer hide it: the next open catches up
 * from the mark. The highest ids in the commit data alone do not suffice: a lagging chat's store task
 * indexes ids far below ones already committed.
 *
 * <p>A commit makes every operation with a Lucene sequence number up to the one it returns durable; the
 * mark then rises to the lowest id of what is still uncommitted (writes in flight or completed after the
 * commit point). Typical cost: one small fsynced file write after each commit (the first write) and one per
 * write that lowers the mark.
 *
 * <p>Thread-safe: every method runs under this object's monitor (file writes included, so they never
 * overtake one another).
 */
final class PendingMark {
    /** The mark's file inside the index directory. */
    static final String FILE = "engram-pending.properties";
    /** No id pending. */
    static final long NONE = Long.MAX_VALUE;

    private final Path file;
    private final Map<Long, long[]> inFlight = new HashMap<>();
    /** Completed, not yet committed writes by sequence number: {lowest message id, lowest memory id}. */
    private final TreeMap<Long, long[]> uncommitted = new TreeMap<>();
    private long nextToken;
    private long pinnedMessage = NONE;
    private long pinnedMemory = NONE;
    private long durableMessage;
    private long durableMemory;

    private PendingMark(Path file, long message, long memory) {
        this.file = file;
        this.durableMessage = message;
        this.durableMemory = memory;
        this.pinnedMessage = message; // what the last run may have lost stays marked until a load has caught it up
        this.pinnedMemory = memory;
    }

    /** The mark of the index in {@code dir}, as the last run left it ({@link #NONE} each when absent). */
    static PendingMark load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return new PendingMark(file, NONE, NONE);
        }
        return new PendingMark(file, parse(p.getProperty("message")), parse(p.getProperty("memory")));
    }

    private static long parse(String value) {
        try {
            return value == null ? NONE : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0; // unreadable: catch up from the start rather than miss anything
        }
    }

    /** The lowest message id a crash may have lost, {@link #NONE} when nothing. */
    synchronized long message() {
        return durableMessage;
    }

    /** The lowest memory id a crash may have lost, {@link #NONE} when nothing. */
    synchronized long memory() {
        return durableMemory;
    }

    /** Whether the durable mark names anything (a commit would raise it). */
    synchronized boolean pending() {
        return durableMessage != NONE || durableMemory != NONE;
    }

    /** Call before writing {@code items}; makes the mark cover them durably. Returns a token for {@link #written}. */
    synchronized long enter(List<IndexItem> items) throws IOException {
        long[] low = {NONE, NONE};
        for (IndexItem item : items) {
            int i = item.kind() == Kind.MESSAGE ? 0 : 1;
            low[i] = Math.min(low[i], item.id());
        }
        long token = nextToken++;
        inFlight.put(token, low);
        if (low[0] < durableMessage || low[1] < durableMemory) {
            persist(Math.min(low[0], durableMessage), Math.min(low[1], durableMemory));
        }
        return token;
    }

    /**
     * Holds the mark at or below these ids until {@link #unpin()}: a catch-up or rebuild that has not finished
     * scanning from them must resume from them after a crash or an early close.
     */
    synchronized void pin(long message, long memory) throws IOException {
        pinnedMessage = message;
        pinnedMemory = memory;
        if (message < durableMessage || memory < durableMemory) {
            persist(Math.min(message, durableMessage), Math.min(memory, durableMemory));
        }
    }

    /** The catch-up finished: the next commit may raise the mark above the pin. */
    synchronized void unpin() {
        pinnedMessage = NONE;
        pinnedMemory = NONE;
    }

    /** The write of {@code token} completed (or failed) with operations up to {@code seq}. */
    synchronized void written(long token, long seq) {
        long[] low = inFlight.remove(token);
        if (low != null) uncommitted.merge(seq, low, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.min(a[1], b[1])});
    }

    /** A commit made every operation up to {@code seq} durable: the mark rises to what is still uncommitted. */
    synchronized void committed(long seq) throws IOException {
        if (seq < 0) return;
        for (Iterator<Long> it = uncommitted.headMap(seq, true).keySet().iterator(); it.hasNext(); ) {
            it.next();
            it.remove();
        }
        long message = pinnedMessage;
        long memory = pinnedMemory;
        for (long[] low : inFlight.values()) {
            message = Math.min(message, low[0]);
            memory = Math.min(memory, low[1]);
        }
        for (long[] low : uncommitted.values()) {
            message = Math.min(message, low[0]);
            memory = Math.min(memory, low[1]);
        }
        if (message != durableMessage || memory != durableMemory) persist(message, memory);
    }

    private void persist(long message, long memory) throws IOException {
        Properties p = new Properties();
        p.setProperty("message", Long.toString(message));
        p.setProperty("memory", Long.toString(memory));
        DurableFiles.writeProperties(file, p, "lowest ids written to the index since its last commit (catch-up starts below them)");
        durableMessage = message;
        durableMemory = memory;
    }
}
