package dev.engram.memory.cluster;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.ChatLocks;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.vector.FeedItem;
import dev.engram.memory.vector.FollowResult;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.ChangeRow;
import dev.engram.store.EmbeddingRepository.Kind;

/**
 * Keeps this instance's local index, graph snapshot and recall cache in step with what other instances of the
 * cluster write, by following the database's change feed ({@link ChangeFeedRepository}): LISTEN/NOTIFY wakes it,
 * a read every {@link Settings#poll()} covers a lost wake-up, and the feed's sequence is the truth.
 *
 * <p>Each step reads the rows above the highest one taken (a batch) and re-reads the open gaps (see
 * {@link FeedCursor}), then applies other instances' changes: messages and memories through
 * {@link LuceneMemoryIndex#follow} (stored vectors, per-chat locks, idempotent), graph changes by reloading the
 * snapshot (at most every {@link Settings#graphReloadInterval()}), and invalidates the recall cache of every chat
 * named. A failed step is undone and retried. The cursor is written next to the index after the index committed
 * ({@link Settings#commitInterval()}), so a restart replays what the index may lack.
 *
 * <p>Start ({@link #start()}, before the index's load starts): with a saved cursor it resumes there; without one
 * (a fresh index) it starts at the feed's current end, once every transaction in flight has ended, so the index's
 * load scan sees all the rows the skipped changes named. A saved cursor below the pruned rows, or a non-empty
 * index without a cursor, empties the index for a full rebuild. Old rows are pruned after
 * {@link Settings#retention()}. Thread-safe: one thread of its own applies; {@link #status()} reads from any.
 */
public final class ChangeFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /**
     * @param instanceId          this instance's name (as the storage records it as the origin of its changes)
     * @param poll                longest wait between two reads when no wake-up arrives
     * @param gapTimeout          how long a gap in the sequence may stay open before it is taken as rolled back
     *                            (the transaction horizon usually closes it sooner)
     * @param batchSize           rows per read
     * @param retention           feed rows older than this are pruned
     * @param pruneInterval       how often this instance prunes
     * @param graphReloadInterval least time between two reloads of the graph snapshot
     * @param commitInterval      how often the index is committed and the cursor saved while changes arrive
     */
    public record Settings(String instanceId, Duration poll, Duration gapTimeout, int batchSize, Duration retention,
                           Duration pruneInterval, Duration graphReloadInterval, Duration commitInterval) {
        public Settings {
            Objects.requireNonNull(instanceId, "instanceId");
            for (Duration d : List.of(poll, gapTimeout, retention, pruneInterval, graphReloadInterval, commitInterval)) {
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("change feed durations must be > 0");
            }
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }

        /** Gaps closed after 10 s, 1,000 rows a read, rows kept a day, pruned hourly, graph reloads at most 1/s, cursor saved every 5 s. */
        public static Settings defaults(String instanceId, Duration poll) {
            return new Settings(instanceId, poll, Duration.ofSeconds(10), 1_000, Duration.ofDays(1), Duration.ofHours(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(5));
        }
    }

    private final ChangeFeedRepository feed;
    private final LuceneMemoryIndex index;
    private final GraphMemory graph;
    private final RecallCache cache;
    private final ChatLocks locks;
    private final Clock clock;
    private final Settings settings;
    private final CursorFile cursorFile;
    private final FollowerCounts counts = new FollowerCounts();
    private final Set<String> graphChats = new LinkedHashSet<>();
    private volatile FeedCursor cursor;
    private volatile boolean stopping;
    private volatile ChangeFeedRepository.ChangeWakeups wakeups;
    private Thread thread;
    private boolean graphDirty;
    private boolean indexDirty;
    private boolean cursorDirty;
    private Instant lastGraphReload = Instant.MIN;
    private Instant lastPersist;
    private Instant lastPrune;

    public ChangeFollower(ChangeFeedRepository feed, LuceneMemoryIndex index, GraphMemory graph, RecallCache cache,
                          ChatLocks locks, Clock clock, Settings settings) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.index = Objects.requireNonNull(index, "index");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cursorFile = new CursorFile(index.directory());
    }

    /**
     * Places the cursor (resumed, fresh, or fresh after emptying the index for a rebuild) and starts following.
     * Call once, before {@link LuceneMemoryIndex#startCatchUp}.
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (thread != null) throw new IllegalStateException("already started");
        OptionalLong saved = cursorFile.read();
        long prunedBelow = feed.prunedBelow();
        String rebuild = null;
        if (saved.isEmpty() && index.messageCount() + index.memoryCount() > 0) {
            rebuild = "no change-feed cursor next to a non-empty index";
        } else if (saved.isPresent() && saved.getAsLong() + 1 < prunedBelow) {
            rebuild = "change feed pruned past the cursor (" + saved.getAsLong() + " < " + (prunedBelow - 1) + ")";
        }
        long start;
        if (saved.isPresent() && rebuild == null) {
            start = saved.getAsLong();
            counts.start = "resumed";
        } else {
            start = quiescedEnd();
            if (rebuild != null) {
                log.warn("change feed: {}; the index is rebuilt from the database", rebuild);
                index.resetForRebuild(rebuild);
                counts.start = "rebuild: " + rebuild;
            } else {
                counts.start = "fresh";
            }
            cursorFile.write(start);
        }
        cursor = new FeedCursor(start, settings.gapTimeout());
        Instant now = clock.instant();
        lastPersist = now;
        lastPrune = now;
        counts.state = "following";
        log.info("change feed: instance {} follows from seq {} ({})", settings.instanceId(), start, counts.start);
        wakeups = feed.listen();
        thread = Thread.ofPlatform().name("engram-change-feed").daemon().start(this::run);
    }

    /**
     * The feed's current end once every transaction that may still commit a row at or below it has ended (at most
     * {@link Settings#gapTimeout()}): the index's load, starting after this, then sees what those rows name.
     */
    private long quiescedEnd() throws InterruptedException {
        long end = feed.maxSeq();
        long fresh = feed.freshTransactionId();
        Instant until = clock.instant().plus(settings.gapTimeout());
        while (feed.endedBelow() < fresh) {
            if (clock.instant().isAfter(until)) {
                log.warn("change feed: transactions still open after {}; starting at seq {} anyway", settings.gapTimeout(), end);
                break;
            }
            Thread.sleep(20);
        }
        return end;
    }

    private void run() {
        try {
            wakeups.await(1); // LISTEN before the first read: nothing committed after it goes unnoticed
            while (!stopping) {
                boolean more = false;
                try {
                    more = step();
                    maintain();
                    counts.ok();
                } catch (IOException | RuntimeException e) {
                    counts.failed(e);
                    log.warn("change feed: step failed ({}); retried", e.toString());
                }
                if (stopping) break;
                if (!more) wakeups.await(waitMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                persist();
            } catch (IOException | RuntimeException e) {
                log.warn("change feed: saving the cursor at stop failed; the next start replays from the last saved one", e);
            }
            counts.state = "stopped";
        }
    }

    /** One read and apply; returns whether a full batch came (read again at once). */
    boolean step() throws IOException {
        FeedCursor before = cursor.copy();
        FeedCursor c = before.copy();
        Instant now = clock.instant();
        Collection<Long> open = c.gaps();
        long endedBelow = open.isEmpty() ? -1 : feed.endedBelow();
        List<ChangeRow> rows = new ArrayList<>(feed.after(c.maxSeen(), settings.batchSize()));
        boolean full = rows.size() == settings.batchSize();
        if (!open.isEmpty()) rows.addAll(feed.find(open));
        List<ChangeRow> taken = c.take(rows, feed::freshTransactionId, now);
        if (endedBelow >= 0) c.settle(endedBelow, now);
        apply(taken, now);
        if (c.cursor() != before.cursor()) cursorDirty = true;
        if (c.timedOut() > before.timedOut()) {
            log.warn("change feed: {} sequence gap(s) open longer than {} taken as rolled back", c.timedOut() - before.timedOut(),
                    settings.gapTimeout());
        }
        cursor = c;
        return full;
    }

    private void apply(List<ChangeRow> rows, Instant now) throws IOException {
        List<FeedItem> items = new ArrayList<>();
        Set<String> chats = new LinkedHashSet<>();
        int own = 0;
        int applied = 0;
        Instant newest = null;
        boolean graphChanged = false;
        for (ChangeRow r : rows) {
            if (r.origin().filter(settings.instanceId()::equals).isPresent()) {
                own++;
                continue;
            }
            applied++;
            newest = newest == null || r.at().isAfter(newest) ? r.at() : newest;
            String chat = r.chatId().orElse(null);
            switch (r.kind()) {
                case MESSAGE, EMBEDDING_MESSAGE, MEMORY, EMBEDDING_MEMORY -> {
                    if (chat == null) continue;
                    Kind kind = r.kind() == ChangeRow.Kind.MESSAGE || r.kind() == ChangeRow.Kind.EMBEDDING_MESSAGE
                            ? Kind.MESSAGE : Kind.MEMORY;
                    boolean embedded = r.kind() == ChangeRow.Kind.EMBEDDING_MESSAGE || r.kind() == ChangeRow.Kind.EMBEDDING_MEMORY;
                    items.add(new FeedItem(kind, r.refId(), chat, embedded));
                    chats.add(chat);
                }
                case GRAPH -> {
                    graphChanged = true;
                    if (chat != null) graphChats.add(chat);
                }
                case OTHER -> {
                }
            }
        }
        FollowResult result = index.follow(items, locks);
        if (!items.isEmpty()) indexDirty = true;
        chats.forEach(cache::invalidate);
        graphDirty |= graphChanged;
        reloadGraphIfDue(now);
        counts.add(applied, own, result, newest);
    }

    private void reloadGraphIfDue(Instant now) {
        if (!graphDirty || Duration.between(lastGraphReload, now).compareTo(settings.graphReloadInterval()) < 0) return;
        graph.reload();
        graphDirty = false;
        lastGraphReload = now;
        graphChats.forEach(cache::invalidate);
        graphChats.clear();
        counts.graphReloads++;
    }

    /** The due periodic work: a pending graph reload, saving the cursor, pruning. */
    private void maintain() throws IOException {
        Instant now = clock.instant();
        reloadGraphIfDue(now);
        if (Duration.between(lastPersist, now).compareTo(settings.commitInterval()) >= 0) persist();
        if (Duration.between(lastPrune, now).compareTo(settings.pruneInterval()) >= 0) {
            lastPrune = now;
            counts.pruned += feed.pruneBefore(now.minus(settings.retention()));
            long below = feed.prunedBelow();
            if (cursor.cursor() + 1 < below) {
                counts.stale = true;
                log.error("change feed: rows above seq {} were pruned before this instance read them (pruned below {}); "
                        + "restart it to rebuild its index", cursor.cursor(), below);
            }
        }
    }

    /** Commits the index (when the feed wrote to it), then saves the cursor. */
    private void persist() throws IOException {
        lastPersist = clock.instant();
        if (!indexDirty && !cursorDirty) return;
        long at = cursor.cursor();
        if (indexDirty) index.commit();
        cursorFile.write(at);
        indexDirty = false;
        cursorDirty = false;
    }

    private long waitMillis() {
        Instant now = clock.instant();
        Duration wait = settings.poll();
        Duration gap = cursor.untilTimeout(now);
        if (gap != null && gap.compareTo(wait) < 0) wait = gap;
        if (graphDirty) {
            Duration graphLeft = settings.graphReloadInterval().minus(Duration.between(lastGraphReload, now));
            if (graphLeft.compareTo(wait) < 0) wait = graphLeft;
        }
        return Math.max(1, wait.toMillis());
    }

    /** Where the follower is and what it did. */
    public ChangeFeedStatus status() {
        FeedCursor c = cursor;
        return counts.status(settings.instanceId(), c, clock.instant());
    }

    /** Stops following, commits the index and saves the cursor. Idempotent; call before the index closes. */
    @Override
    public void close() {
        stopping = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        ChangeFeedRepository.ChangeWakeups w = wakeups;
        if (w != null) w.close();
        if (t == null) return;
        try {
            if (!t.join(STOP_WAIT)) log.warn("change feed: follower still applying after {}", STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
