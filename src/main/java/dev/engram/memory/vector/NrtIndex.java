package dev.engram.memory.vector;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

import dev.engram.store.EmbeddingRepository.Kind;

/**
 * The Lucene side of the index: one {@link IndexWriter}, a {@link SearcherManager} for
 * near-real-time searchers, shared refreshes and periodic durable commits that record the
 * {@link IndexState}.
 *
 * <p>Concurrency: thread-safe. Updates run concurrently. {@link #awaitVisible} implements group
 * refresh: under {@code refreshLock}, a caller whose operation is not yet visible
 * <ol>
 *   <li>waits while other writers are still in flight (between {@link #writerEntered()} and
 *       {@link #awaitVisible}) and less than the minimum refresh interval has passed since the last
 *       refresh started; the lock is released while waiting, so those writers can join;</li>
 *   <li>notes the highest completed sequence number, refreshes, and publishes that number as
 *       {@code visibleSeq}.</li>
 * </ol>
 * Every operation completed before the refresh started is then visible, so callers it covered
 * return without refreshing again. A lone writer (a chat's sequential store tasks) never waits;
 * concurrent writers refresh at most about once per interval, which bounds refresh work under load.
 *
 * <p>Commits are serialised by {@code commitLock}; a due commit is skipped rather than waited for
 * when another is running. Invariant: {@code visibleSeq} only grows and never exceeds what the
 * current searcher shows.
 */
final class NrtIndex {
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final Clock clock;
    private final Duration commitInterval;
    private final AtomicLong maxMessageId = new AtomicLong();
    private final AtomicLong maxMemoryId = new AtomicLong();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ReentrantLock refreshLock = new ReentrantLock();
    /** Signalled whenever a writer arrives, leaves or finishes a refresh: waiters re-check whether to refresh. */
    private final Condition refreshDue = refreshLock.newCondition();
    /** Writers between {@link #writerEntered()} and {@link #writerLeft()}. */
    private final AtomicInteger writersInFlight = new AtomicInteger();
    /** Writers inside {@link #awaitVisible}; guarded by {@code refreshLock}. */
    private int waiting;
    /** How long a waiter may hold its refresh back for writers still in flight. */
    private final long minRefreshNanos;
    /** When the last refresh started ({@link System#nanoTime()}); guarded by {@code refreshLock}. */
    private long lastRefreshNanos;
    /** Highest writer sequence number visible to searches; written under {@code refreshLock}. */
    private volatile long visibleSeq;
    private volatile Instant lastCommit;
    private final PendingMark mark;
    /** Runs every index write off the caller's thread, where no interrupt can reach it (see {@link #shielded}). */
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new IoThread(r);
        t.setDaemon(true);
        return t;
    });

    NrtIndex(IndexOpener.Opened opened, PendingMark mark, Embedder embedder, Clock clock, Duration commitInterval,
             Duration minRefreshInterval) throws IOException {
        this.directory = opened.directory();
        this.mark = mark;
        this.writer = opened.writer();
        this.searchers = new SearcherManager(writer, LiveStatsSearcher.FACTORY);
        this.embedder = embedder;
        this.clock = clock;
        this.commitInterval = commitInterval;
        this.minRefreshNanos = minRefreshInterval.toNanos();
        this.lastRefreshNanos = System.nanoTime() - minRefreshNanos;
        this.lastCommit = clock.instant();
        opened.state().ifPresent(s -> {
            maxMessageId.set(s.maxMessageId());
            maxMemoryId.set(s.maxMemoryId());
        });
    }

    long maxMessageId() {
        return maxMessageId.get();
    }

    long maxMemoryId() {
        return maxMemoryId.get();
    }

    /** Adds or replaces the items' documents (by key); returns the sequence number of the last one. */
    long update(List<IndexItem> items, List<float[]> vectors) throws IOException {
        return shielded(() -> updateNow(items, vectors));
    }

    private long updateNow(List<IndexItem> items, List<float[]> vectors) throws IOException {
        long token = mark.enter(items); // durable before any of them can be acknowledged
        long seq = 0;
        try {
            for (int i = 0; i < items.size(); i++) {
                IndexItem item = items.get(i);
                seq = writer.updateDocument(IndexFields.keyTerm(item.key()), IndexFields.document(item, vectors.get(i),
                        IndexFields.tokens(writer.getAnalyzer(), item.searchText())));
                (item.kind() == Kind.MESSAGE ? maxMessageId : maxMemoryId).accumulateAndGet(item.id(), Math::max);
            }
            return seq;
        } catch (IOException | RuntimeException e) {
            seq = Long.MAX_VALUE; // a failed write may have added some: never counted as committed
            throw e;
        } finally {
            mark.written(token, seq);
        }
    }

    /** The durable low-water mark of this index (what the last run may have lost). */
    PendingMark mark() {
        return mark;
    }

    /** Counts a writer in: from now until {@link #writerLeft()} it may still add documents to refresh. */
    void writerEntered() {
        writersInFlight.incrementAndGet();
    }

    /** Counts a writer out and wakes refresh waiters, who may now be all the writers there are. */
    void writerLeft() {
        writersInFlight.decrementAndGet();
        refreshLock.lock();
        try {
            refreshDue.signalAll();
        } finally {
            refreshLock.unlock();
        }
    }

    /** Returns once searches see the operation with sequence number {@code seq} (see the class comment). */
    void awaitVisible(long seq) throws IOException {
        if (visibleSeq >= seq) return;
        refreshLock.lock();
        waiting++;
        try {
            refreshDue.signalAll();
            // Coalesce: while other writers are still on their way and the last refresh was recent,
            // wait for them (at most until the interval has passed) so that one refresh covers all.
            long wait = lastRefreshNanos + minRefreshNanos - System.nanoTime();
            while (visibleSeq < seq && wait > 0 && waiting < writersInFlight.get()) wait = refreshDue.awaitNanos(wait);
            if (visibleSeq >= seq) return;
            long completed = writer.getMaxCompletedSequenceNumber(); // >= seq: the caller's operation has completed
            lastRefreshNanos = System.nanoTime();
            shielded(() -> {
                searchers.maybeRefreshBlocking(); // may write deletions (.liv files): never on an interruptible thread
                return null;
            });
            visibleSeq = Math.max(visibleSeq, completed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a refresh");
        } finally {
            waiting--;
            refreshDue.signalAll();
            refreshLock.unlock();
        }
    }

    /** Refreshes searchers now (after bulk loads and deletes). */
    void refresh() throws IOException {
        awaitVisible(writer.getMaxCompletedSequenceNumber());
    }

    /** Deletes every document matching any query; returns the sequence number of the deletion. */
    long delete(Query... queries) throws IOException {
        return shielded(() -> writer.deleteDocuments(queries));
    }

    /**
     * Rewrites the segments holding deleted documents so their text leaves the index files (forgetting), then
     * commits and reopens the searcher; the superseded files are removed from the directory.
     */
    void expungeDeletes() throws IOException {
        shielded(() -> {
            expungeNow();
            return null;
        });
    }

    private void expungeNow() throws IOException {
        writer.flush();
        // a merge already running when this starts is skipped by the policy: ask again until nothing is left
        for (int i = 0; i < 5 && writer.getDocStats().maxDoc > writer.getDocStats().numDocs; i++) {
            writer.forceMergeDeletes(true);
        }
        commit();
        refresh();
    }

    /** Commits when the commit interval has passed and no other commit is running. */
    void commitIfDue() throws IOException {
        if (Duration.between(lastCommit, clock.instant()).compareTo(commitInterval) < 0 || !commitLock.tryLock()) return;
        try {
            commitLocked();
        } finally {
            commitLock.unlock();
        }
    }

    /** Makes every completed write durable, recording the model and the highest ids indexed. */
    void commit() throws IOException {
        commitLock.lock();
        try {
            commitLocked();
        } finally {
            commitLock.unlock();
        }
    }

    private void commitLocked() throws IOException {
        shielded(() -> {
            commitNow();
            return null;
        });
    }

    private void commitNow() throws IOException {
        Instant now = clock.instant();
        IndexState state = new IndexState(IndexState.SCHEMA, embedder.modelId(), embedder.dimensions(),
                maxMessageId.get(), maxMemoryId.get());
        writer.setLiveCommitData(state.toCommitData().entrySet());
        long seq = writer.commit();
        lastCommit = now;
        mark.committed(seq);
    }

    /** Runs one query on the current searcher, released afterwards. */
    <T> T search(SearchCall<T> call) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return call.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    long count(Query query) throws IOException {
        return search(s -> s.count(query));
    }

    boolean contains(String key) {
        try {
            return count(new TermQuery(IndexFields.keyTerm(key))) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases everything; {@code commit} first makes the writes durable, otherwise they are rolled back. */
    void close(boolean commit) throws IOException {
        try {
            if (commit) commit();
        } finally {
            try {
                shielded(() -> {
                    searchers.close();
                    if (commit) writer.close();
                    else writer.rollback();
                    return null;
                });
            } finally {
                io.shutdown();
                directory.close();
            }
        }
    }

    /**
     * Runs an index write on an I/O thread of this index and waits for it. Lucene writes through interruptible
     * file channels: an interrupt arriving mid-write (a task timing out, shutdown past its drain deadline) would
     * close the channel and with it the index writer, for good. Here an interrupt only ends the caller's wait
     * ({@link InterruptedIOException}, interrupt status kept); the write itself completes. Calls made on an I/O
     * thread run directly, so nested writes never wait for a thread of their own.
     */
    private <T> T shielded(IoCall<T> call) throws IOException {
        if (Thread.currentThread() instanceof IoThread) return call.run();
        Future<T> done;
        try {
            done = io.submit(call::run);
        } catch (RejectedExecutionException closed) {
            return call.run(); // closing: nobody interrupts a closing caller
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an index write (it completes regardless)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    /** The threads index writes run on. */
    private static final class IoThread extends Thread {
        IoThread(Runnable r) {
            super(r, "engram-index-io");
        }
    }

    /** A query against one searcher. */
    @FunctionalInterface
    interface SearchCall<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
