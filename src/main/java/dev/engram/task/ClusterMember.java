package dev.engram.task;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.OutboxRecord;
import dev.engram.store.WorkQueue;

/**
 * This engine's part in a cluster that shares the outbox as its work queue ({@link WorkQueue}): durable
 * tasks are written unclaimed by whichever instance accepted them, and each runs on the instance that
 * claimed it, which is the one holding its chat's lease (chatless tasks: the maintenance lease).
 *
 * <p>Threads: {@code engram-cluster} claims (woken by local submissions, by the listener, or every
 * {@code poll}) and, every {@code heartbeat}, renews this instance's leases and releases the chat leases
 * whose chats have no live rows (so ownership rebalances); claims and heartbeats never overlap.
 * {@code engram-cluster-listen} waits for NOTIFY wake-ups on a connection of its own. Newly claimed rows
 * reach the lanes through the {@link OutboxFeeder}, which reads this instance's claims in claim order
 * ({@link #listClaimed}), so each chat's tasks enter in outbox order, with the usual backpressure.
 *
 * <p>Lost leases: an instance that paused past its lease may find that another took a chat over (and its
 * rows). {@link #owns} is asked before each attempt of a durable task: it answers from the leases as last
 * renewed, and renews first if that renewal is older than the lease. A task whose lease is gone is not run
 * here (its new owner runs it); an attempt already running when the lease was lost runs to its end, which
 * handlers tolerate because they are idempotent (at-least-once, as across a crash).
 *
 * <p>Thread-safe. {@code held} maps lease names to the {@link System#nanoTime} until which they are ours;
 * every database call that changes leases and the update of {@code held} after it run under {@code renewal},
 * so {@code held} never lags behind a renewal that raced with a claim.
 */
final class ClusterMember {
    private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);
    /** Unclaimed rows looked at per claim (one claim takes every row of the leases it takes). */
    static final int CLAIM_LIMIT = 256;

    private final ClusterSettings settings;
    private final WorkQueue queue;
    private final Clock clock;
    private final Runnable claimed;
    private final String id;
    private final long leaseMs;
    private final long leaseNanos;
    private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final ReentrantLock renewal = new ReentrantLock();
    private volatile boolean claiming = true;
    private volatile boolean stopped;
    private Thread worker;
    private Thread listener;

    /** @param claimed told (on the cluster thread) after rows were claimed for this instance */
    ClusterMember(ClusterSettings settings, WorkQueue queue, Clock clock, Runnable claimed) {
        this.settings = settings;
        this.queue = queue;
        this.clock = clock;
        this.claimed = claimed;
        this.id = settings.instanceId();
        this.leaseMs = settings.lease().toMillis();
        this.leaseNanos = settings.lease().toNanos();
    }

    String instanceId() {
        return id;
    }

    synchronized void start() {
        worker = Thread.ofPlatform().name("engram-cluster").daemon().start(this::loop);
        listener = Thread.ofPlatform().name("engram-cluster-listen").daemon().start(this::listen);
    }

    /** Asks for a claim soon (after a local submission). */
    void wake() {
        wake.release();
    }

    /** Inside {@code tx}'s transaction, before the rows are inserted: see {@link WorkQueue#orderAdds}. */
    static void orderAdds(dev.engram.store.Storage tx, List<OutboxRecord> rows) {
        String[] chats = rows.stream().map(OutboxRecord::chatId).toArray(String[]::new);
        tx.workQueue().orElseThrow(() -> new IllegalStateException("cluster mode needs PostgreSQL storage"))
                .orderAdds(Arrays.asList(chats));
    }

    /**
     * This instance's claimed live rows after {@code afterClaimSeq}, in claim order, each with its claim
     * position as its {@code seq} (the feeder's cursor).
     */
    List<OutboxRecord> listClaimed(long afterClaimSeq, int limit) {
        return queue.listClaimed(id, afterClaimSeq, limit).stream().map(c -> {
            OutboxRecord r = c.record();
            return new OutboxRecord(r.taskId(), r.type(), r.chatId(), r.payload(), r.createdAt(), r.attempts(), c.claimSeq());
        }).toList();
    }

    /** Whether this instance holds the lease of {@code chatId}'s tasks ({@code null}: maintenance); see the class comment. */
    boolean owns(String chatId) {
        String name = WorkQueue.leaseOf(chatId);
        if (current(name)) return true;
        renewal.lock();
        try {
            if (current(name)) return true;
            boolean believed = held.containsKey(name);
            try {
                heartbeatRenew();
            } catch (RuntimeException e) {
                log.warn("cannot confirm lease {} ({}); running its task on the last known ownership", name, e.toString());
                return believed;
            }
            return held.containsKey(name);
        } finally {
            renewal.unlock();
        }
    }

    /** Takes or keeps the maintenance lease; whether this instance holds it now (it then runs the periodic tasks). */
    boolean leadMaintenance() {
        renewal.lock();
        try {
            return tryLeadMaintenance();
        } finally {
            renewal.unlock();
        }
    }

    private boolean tryLeadMaintenance() {
        long start = System.nanoTime();
        Optional<WorkQueue.Lease> lease;
        try {
            lease = queue.tryLease(WorkQueue.MAINTENANCE, id, clock.millis(), leaseMs);
        } catch (RuntimeException e) {
            log.warn("cannot take the maintenance lease: {}", e.toString());
            return false;
        }
        if (lease.isEmpty()) {
            if (held.remove(WorkQueue.MAINTENANCE) != null) log.info("instance {} no longer leads maintenance", id);
            return false;
        }
        if (held.put(WorkQueue.MAINTENANCE, start + leaseNanos) == null) {
            log.info("instance {} leads maintenance (lease token {})", id, lease.get().token());
            wake();
        }
        return true;
    }

    /** Stops claiming (engine closing); leases are still renewed until {@link #close}. */
    void stopClaiming() {
        claiming = false;
    }

    /** Stops the threads and releases every lease, un-claiming the rows left, so others take them at once. */
    void close() {
        stopThreads();
        try {
            queue.release(id);
            held.clear();
        } catch (RuntimeException e) {
            log.warn("releasing the leases of {} failed; others take its work when the leases expire: {}", id, e.toString());
        }
    }

    /** Stops the threads without releasing anything (a simulated kill). */
    void crash() {
        stopThreads();
    }

    private boolean current(String name) {
        Long until = held.get(name);
        return until != null && until - System.nanoTime() > 0;
    }

    private void stopThreads() {
        stopped = true;
        wake.release();
        Thread w;
        Thread l;
        synchronized (this) {
            w = worker;
            l = listener;
        }
        join(w);
        join(l);
    }

    private void join(Thread t) {
        if (t == null) return;
        try {
            if (!t.join(settings.poll().plusSeconds(5))) log.warn("{} did not stop in time", t.getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long nextBeat = System.nanoTime();
        while (!stopped) {
            try {
                if (System.nanoTime() - nextBeat >= 0) {
                    heartbeat();
                    nextBeat = System.nanoTime() + settings.heartbeat().toNanos();
                }
                if (claiming) claimAll();
            } catch (RuntimeException e) {
                if (!stopped) log.warn("work queue round of {} failed; retrying: {}", id, e.toString());
            }
            long wait = Math.min(settings.poll().toNanos(), Math.max(0, nextBeat - System.nanoTime()));
            try {
                if (wake.tryAcquire(wait, TimeUnit.NANOSECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void claimAll() {
        WorkQueue.Claim claim;
        do {
            renewal.lock();
            try {
                long start = System.nanoTime();
                claim = queue.claim(id, clock.millis(), leaseMs, CLAIM_LIMIT);
                for (String name : claim.leases()) held.put(name, start + leaseNanos);
            } finally {
                renewal.unlock();
            }
            if (!claim.claimed().isEmpty()) {
                log.debug("instance {} claimed {} tasks", id, claim.claimed().size());
                claimed.run();
            }
        } while (claim.more() && !claim.claimed().isEmpty() && claiming && !stopped);
    }

    private void heartbeat() {
        renewal.lock();
        try {
            heartbeatRenew();
            queue.releaseIdle(id, clock.millis()).forEach(held::remove);
        } finally {
            renewal.unlock();
        }
    }

    /** Renews every lease this instance holds and makes {@code held} what the database says (lock held). */
    private void heartbeatRenew() {
        long start = System.nanoTime();
        Set<String> still = queue.renew(id, clock.millis(), leaseMs);
        for (String name : held.keySet()) {
            if (!still.contains(name) && held.remove(name) != null) {
                log.warn("instance {} lost lease {} to another instance; its tasks run there", id, name);
            }
        }
        for (String name : still) held.put(name, start + leaseNanos);
    }

    private void listen() {
        while (!stopped) {
            try (WorkQueue.Listener channel = queue.listen()) {
                while (!stopped) {
                    if (channel.await(settings.poll())) wake();
                }
            } catch (RuntimeException e) {
                if (stopped) return;
                log.warn("work queue wake-ups of {} failed; polling every {} meanwhile: {}", id, settings.poll(), e.toString());
                LockSupport.parkNanos(settings.poll().toNanos());
            }
        }
    }
}
