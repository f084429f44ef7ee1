package dev.engram.memory.vector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Groups the texts of concurrent writers into batches: each {@link #embedAll} call queues its
 * texts, and one waiting caller at a time takes up to {@code maxBatch} queued texts (its own and
 * other callers') and embeds them with one {@link Embedder#embedAll} call. When the queue is
 * shallow a caller embeds its own texts at once; when it is deep, batches fill up.
 *
 * <p>Concurrency: thread-safe. State is guarded by {@code lock}. Invariants: at most one caller
 * ({@code draining}) embeds at a time; texts are embedded in queue order; every queued request is
 * completed, normally or with the embedder's exception. Algorithm of a caller:
 * <ol>
 *   <li>queue its requests;</li>
 *   <li>while any of them is pending: if nobody is draining, become the drainer, take one batch,
 *       embed it outside the lock, complete it and wake everyone; otherwise wait.</li>
 * </ol>
 * A caller drains at most until its own texts are done, so no writer works for others forever.
 */
final class EmbeddingBatcher {
    private final Embedder embedder;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchDone = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private boolean draining;

    EmbeddingBatcher(Embedder embedder, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        this.embedder = embedder;
        this.maxBatch = maxBatch;
    }

    /** The vectors of {@code texts}, in order; blocks until they are embedded. */
    List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        List<Request> mine = new ArrayList<>(texts.size());
        for (String t : texts) mine.add(new Request(t));
        lock.lock();
        try {
            queue.addAll(mine);
            while (!mine.getLast().done) {
                if (draining) {
                    batchDone.awaitUninterruptibly();
                    continue;
                }
                draining = true;
                List<Request> batch = take();
                lock.unlock();
                try {
                    run(batch);
                } finally {
                    lock.lock();
                    draining = false;
                    batchDone.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        List<float[]> out = new ArrayList<>(mine.size());
        for (Request r : mine) {
            if (r.failure != null) throw r.failure;
            out.add(r.vector);
        }
        return out;
    }

    /** Texts queued and not yet taken by a drainer (for tests and status). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private List<Request> take() {
        List<Request> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
        while (batch.size() < maxBatch && !queue.isEmpty()) batch.add(queue.poll());
        return batch;
    }

    /** Embeds a batch and completes its requests; called without the lock, results published by it. */
    private void run(List<Request> batch) {
        List<String> texts = new ArrayList<>(batch.size());
        for (Request r : batch) texts.add(r.text);
        try {
            List<float[]> vectors = embedder.embedAll(texts);
            if (vectors.size() != batch.size()) {
                throw new IllegalStateException("embedder returned " + vectors.size() + " vectors for " + batch.size() + " texts");
            }
            for (int i = 0; i < batch.size(); i++) batch.get(i).vector = vectors.get(i);
        } catch (RuntimeException e) {
            for (Request r : batch) r.failure = e;
        } catch (Error e) {
            RuntimeException wrapped = new IllegalStateException("embedding failed", e);
            for (Request r : batch) r.failure = wrapped;
        }
        for (Request r : batch) r.done = true; // read by other threads only under the lock, taken after this
    }

    /** One queued text; fields written by the drainer before it re-takes the lock, read after. */
    private static final class Request {
        final String text;
        float[] vector;
        RuntimeException failure;
        boolean done;

        Request(String text) {
            this.text = text;
        }
    }
}
