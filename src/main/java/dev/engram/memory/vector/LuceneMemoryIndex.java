package dev.engram.memory.vector;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.ChatLocks;
import dev.engram.memory.MemoryIndexWriter;
import dev.engram.memory.MemorySource;
import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;
import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.store.Storage;

/**
 * One Lucene index of every chat's messages and instant memories: HNSW vectors for
 * {@link #vectorSource()} and BM25 text for {@link #lexicalSource()}, each document tagged with
 * its chat so searches never cross chats. Derived data: embeddings are stored in the database as
 * they are computed, and {@link #open} rebuilds a missing, corrupt or stale index from it.
 *
 * <p>Concurrency: thread-safe. Writers run concurrently (Lucene's {@code IndexWriter} is
 * thread-safe); their texts share model calls through an {@link EmbeddingBatcher}. A write is
 * visible to both sources when its method returns: each write ends by waiting for a searcher refresh
 * that started after its documents were added, and concurrent writers share one refresh (group
 * refresh by Lucene sequence numbers, see {@link NrtIndex}). Searches hold a searcher only for the
 * duration of one query. A write commits durably once {@link VectorSettings#commitInterval()} has
 * passed since the last commit; retention and {@link #close()} commit too. Work lost to a crash
 * between commits is redone from the database at the next open: a catch-up from the lowest id written
 * since the last commit ({@link PendingMark}, durable before such a write returns) and from the ids
 * recorded in the last commit. {@link #close()} must not race with writers.
 */
public final class LuceneMemoryIndex implements MemoryIndexWriter, AutoCloseable {
    /** Conventional name of the index directory inside the data directory. */
    public static final String DIR_NAME = "index";
    /** How far below the recorded highest ids a catch-up re-checks, for writes that finished out of order. */
    private static final long CATCH_UP_SLACK = 1_000;
    /** How long closing waits for a background load to finish its page. */
    private static final Duration LOADER_STOP_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(LuceneMemoryIndex.class);

    private final Path path;
    private final NrtIndex nrt;
    private final IndexAnalyzer analyzer;
    private final ItemEmbeddings embeddings;
    private final Storage storage;
    private final VectorSettings settings;
    private final Clock clock;
    private final MemorySource vectorSource;
    private final MemorySource lexicalSource;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final IndexCatchUp catchUp;
    private final FeedWriter feed;
    private volatile IndexOpenReport openReport;
    private volatile Optional<String> rebuildReason = Optional.empty();
    private IndexRebuilder rebuilder;
    private long startNanos;
    private Thread loader; // guarded by this
    private volatile boolean stopping;

    private LuceneMemoryIndex(Path path, NrtIndex nrt, IndexAnalyzer analyzer, Embedder embedder, Storage storage,
                              VectorSettings settings, Clock clock) {
        this.path = path;
        this.nrt = nrt;
        this.analyzer = analyzer;
        this.storage = storage;
        this.settings = settings;
        this.clock = clock;
        QueryEmbeddingCache queries = new QueryEmbeddingCache(embedder, settings.queryCacheSize());
        this.embeddings = new ItemEmbeddings(embedder, storage.embeddings(), queries, settings.embedBatchSize());
        this.vectorSource = new VectorSource(nrt, queries, settings, clock);
        this.lexicalSource = new LexicalSource(nrt, analyzer, settings, clock);
        this.catchUp = new IndexCatchUp(clock);
        this.feed = new FeedWriter(items -> write(items, false), nrt, storage, embedder.modelId());
    }

    /** {@link #open(Path, VectorSettings, Embedder, Storage, StoredMemoryReader, Clock, PrintStream)} with progress on stderr. */
    public static LuceneMemoryIndex open(Path dir, VectorSettings settings, Embedder embedder, Storage storage,
                                         StoredMemoryReader memories, Clock clock) throws IOException {
        return open(dir, settings, embedder, storage, memories, clock, System.err);
    }

    /**
     * Opens the index in {@code dir} (creating it), blocking until it is loaded: rebuilt from the
     * database when missing, corrupt, or built for another model (progress bar on {@code progress},
     * counts and duration logged), otherwise caught up with what the last run may not have made durable.
     * A server uses {@link #openDeferred} and {@link #startCatchUp} instead, to load in the background.
     *
     * @param embedder the model for documents and queries; its id and dimensions are recorded
     * @param storage  messages to rebuild from and the embeddings table
     * @param memories pages of stored instant memories, for rebuilds
     * @param clock    retention is relative to it
     */
    public static LuceneMemoryIndex open(Path dir, VectorSettings settings, Embedder embedder, Storage storage,
                                         StoredMemoryReader memories, Clock clock, PrintStream progress)
            throws IOException {
        LuceneMemoryIndex index = openDeferred(dir, settings, embedder, storage, memories, clock, progress);
        try {
            index.load(null);
        } catch (IOException | RuntimeException e) {
            if (index.closed.compareAndSet(false, true)) index.release(false);
            throw e;
        }
        return index;
    }

    /**
     * Opens the index in {@code dir} (creating it) without loading it: searchable and writable at once with
     * what it durably holds; {@link #startCatchUp} then rebuilds or catches it up in the background.
     */
    public static LuceneMemoryIndex openDeferred(Path dir, VectorSettings settings, Embedder embedder, Storage storage,
                                                 StoredMemoryReader memories, Clock clock, PrintStream progress)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(memories, "memories");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(progress, "progress");
        long start = System.nanoTime();
        IndexAnalyzer analyzer = new IndexAnalyzer();
        IndexOpener.Opened opened = IndexOpener.open(dir, analyzer, embedder);
        NrtIndex nrt;
        try {
            nrt = new NrtIndex(opened, PendingMark.load(dir), embedder, clock, settings.commitInterval(),
                    settings.refreshInterval());
        } catch (IOException | RuntimeException e) {
            opened.writer().rollback();
            opened.directory().close();
            throw e;
        }
        LuceneMemoryIndex index = new LuceneMemoryIndex(dir, nrt, analyzer, embedder, storage, settings, clock);
        index.rebuildReason = opened.rebuildReason();
        index.rebuilder = new IndexRebuilder(storage.messages(), memories, settings.rebuildBatchSize(), progress);
        index.startNanos = start;
        return index;
    }

    /**
     * Starts loading the index in the background (once; later calls return the same progress): each page of
     * the rebuild or catch-up is written under its chat's lock, after checking the database still holds it, so
     * a concurrent forget is never undone. Live writes go on meanwhile.
     */
    public synchronized IndexCatchUp startCatchUp(ChatLocks locks) {
        Objects.requireNonNull(locks, "locks");
        if (loader == null && catchUp.state() == IndexCatchUp.State.PENDING) {
            loader = Thread.ofPlatform().name("engram-index-catch-up").daemon().start(() -> {
                try {
                    load(locks);
                } catch (IOException | RuntimeException e) {
                    log.error("vector index {}: loading failed; serving what it holds", path, e);
                }
            });
        }
        return catchUp;
    }

    /** Progress of the rebuild or catch-up at start. */
    public IndexCatchUp catchUp() {
        return catchUp;
    }

    /**
     * Ends a background load between two pages and waits for it (up to {@code wait}). What it did not reach
     * is resumed at the next open (the mark stays pinned). Idempotent.
     */
    public void stopCatchUp(Duration wait) {
        stopping = true;
        Thread t;
        synchronized (this) {
            t = loader;
        }
        if (t == null) return;
        try {
            if (!t.join(wait)) log.warn("vector index {}: catch-up still writing after {}", path, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Rebuilds (when the open found a reason) or catches up, then commits and reports. A catch-up starts below
     * the lowest id the last run may have lost ({@link PendingMark}) and below the recorded highest ids by a
     * slack, for writes that committed to the database out of id order; what the index already holds is skipped.
     */
    private void load(ChatLocks locks) throws IOException {
        Optional<String> reason = rebuildReason;
        boolean rebuild = reason.isPresent();
        PendingMark mark = nrt.mark();
        long messagesAfter = rebuild ? 0 : Math.max(0, Math.min(nrt.maxMessageId() - CATCH_UP_SLACK, mark.message() - 1));
        long memoriesAfter = rebuild ? 0 : Math.max(0, Math.min(nrt.maxMemoryId() - CATCH_UP_SLACK, mark.memory() - 1));
        Instant now = clock.instant();
        Throwable failure = null;
        try {
            catchUp.started(rebuild, reason.orElse("ok"), messagesAfter, memoriesAfter,
                    rebuild ? storage.messages().count() : 0);
            reason.ifPresent(r -> log.info("vector index {}: rebuilding from {} ({})", path, storage.describe(), r));
            mark.pin(messagesAfter + 1, memoriesAfter + 1);
            LoadSink sink = new LoadSink(items -> write(items, false), nrt, storage, locks);
            IndexRebuilder.Totals totals = rebuilder.run(sink, messagesAfter, memoriesAfter,
                    now.minus(settings.messageRetention()), now.minus(settings.memoryRetention()),
                    key -> !rebuild && nrt.contains(key), rebuild && locks == null, catchUp, () -> stopping);
            if (stopping) {
                log.info("vector index {}: loading stopped at message {}; resumed at the next open", path,
                        catchUp.snapshot().get("message_cursor"));
                return;
            }
            mark.unpin();
            nrt.commit();
            nrt.refresh();
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            openReport = new IndexOpenReport(rebuild ? IndexOpenReport.Outcome.REBUILT : IndexOpenReport.Outcome.REUSED,
                    reason.orElse("ok"), totals.messages(), totals.memories(), totals.reused(), totals.computed(), took);
            log.info("vector index {} {} ({}): {} messages and {} memories indexed, {} embeddings reused, {} computed, in {} ms",
                    path, rebuild ? "rebuilt" : "opened", openReport.reason(), totals.messages(), totals.memories(),
                    totals.reused(), totals.computed(), took.toMillis());
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            catchUp.finished(Duration.ofNanos(System.nanoTime() - startNanos), failure, failure == null && stopping
                    && openReport == null);
        }
    }

    /**
     * Brings these items (changed by another instance, see {@code dev.engram.memory.cluster.ChangeFollower}) to what
     * the database holds now, per chat under its lock: indexes kept messages and current memories with their stored
     * vectors (computing one only for an item whose change stored a vector for another model), removes deleted,
     * forgotten and superseded ones (rewriting the index files when something was forgotten). Idempotent; the
     * changes are searchable when this returns.
     */
    public FollowResult follow(List<FeedItem> items, ChatLocks locks) throws IOException {
        Objects.requireNonNull(locks, "locks");
        if (items.isEmpty()) return FollowResult.NONE;
        if (closed.get()) throw new IllegalStateException("vector index is closed");
        return feed.apply(items, locks);
    }

    /**
     * Empties the index and makes the coming load ({@link #startCatchUp}) a full rebuild: for an instance that
     * missed changes it can no longer read (its change-feed cursor is below the pruned rows). Durable at once, so a
     * crash during the rebuild resumes it from the start. Only before the load started.
     */
    public synchronized void resetForRebuild(String reason) throws IOException {
        Objects.requireNonNull(reason, "reason");
        if (loader != null || catchUp.state() != IndexCatchUp.State.PENDING) {
            throw new IllegalStateException("the index load has already started");
        }
        nrt.mark().pin(1, 1);
        nrt.awaitVisible(nrt.delete(new org.apache.lucene.search.MatchAllDocsQuery()));
        nrt.commit();
        rebuildReason = Optional.of(reason);
    }

    /** The index directory (the change-feed cursor is kept next to the index files). */
    public Path directory() {
        return path;
    }

    /** Indexes (or re-indexes) messages; they are searchable when this returns. */
    @Override
    public void indexMessages(List<ChatMessage> messages) throws IOException {
        writeVisible(messages.stream().map(IndexItem::of).toList());
    }

    /** Indexes (or re-indexes) one instant memory; it is searchable when this returns. */
    @Override
    public void indexMemory(StoredMemory memory) throws IOException {
        indexMemories(List.of(memory));
    }

    /**
     * Indexes (or re-indexes) several instant memories; they are searchable when this returns. A memory that is
     * no longer current is not indexed, and the facts a memory {@linkplain StoredMemory#supersedes supersedes}
     * are removed from the index (the memory table keeps them as history), in the same visible write.
     */
    public void indexMemories(List<StoredMemory> memories) throws IOException {
        List<Query> superseded = memories.stream().flatMap(m -> m.supersedes().stream())
                .map(id -> (Query) new TermQuery(IndexFields.keyTerm(IndexItem.key(Kind.MEMORY, id)))).toList();
        List<IndexItem> current = memories.stream().filter(StoredMemory::current).map(IndexItem::of).toList();
        if (!superseded.isEmpty()) {
            long seq = nrt.delete(superseded.toArray(Query[]::new));
            if (current.isEmpty()) nrt.awaitVisible(seq);
        }
        writeVisible(current);
    }

    private void writeVisible(List<IndexItem> items) throws IOException {
        if (items.isEmpty()) return;
        nrt.writerEntered();
        try {
            nrt.awaitVisible(write(items, true).seq());
        } finally {
            nrt.writerLeft();
        }
        nrt.commitIfDue();
    }

    /** Finds the vectors (stored, else computed and stored) and updates the documents, not yet visible. */
    private ItemEmbeddings.Resolved write(List<IndexItem> items, boolean live) throws IOException {
        if (closed.get()) throw new IllegalStateException("vector index is closed");
        ItemEmbeddings.Resolved resolved = embeddings.resolve(items, live);
        return resolved.withSeq(nrt.update(items, resolved.vectors()));
    }

    /** {@link #enforceRetention(Instant, Collection)} with nothing pinned. */
    public RetentionResult enforceRetention(Instant now) throws IOException {
        return enforceRetention(now, List.of());
    }

    /**
     * Removes raw messages older than {@link VectorSettings#messageRetention()} and memories older
     * than {@link VectorSettings#memoryRetention()} (relative to {@code now}) from the index, with
     * their stored embeddings, then commits; the {@code pinned} memories stay, with their vectors (the
     * embeddings table keeps every pinned current memory's). The message log and memory table keep them all.
     * Counts are exact unless writers add already-expired items meanwhile. Run it on the maintenance lane.
     */
    public RetentionResult enforceRetention(Instant now, Collection<Long> pinned) throws IOException {
        Instant messageCutoff = now.minus(settings.messageRetention());
        Instant memoryCutoff = now.minus(settings.memoryRetention());
        Query oldMessages = IndexFields.olderThan(Kind.MESSAGE, messageCutoff);
        Query oldMemories = IndexFields.olderThan(Kind.MEMORY, memoryCutoff, pinned);
        nrt.refresh();
        long messages = nrt.count(oldMessages);
        long memories = nrt.count(oldMemories);
        nrt.awaitVisible(nrt.delete(oldMessages, oldMemories));
        long rows = storage.embeddings().deleteCreatedBefore(Kind.MESSAGE, messageCutoff)
                + storage.embeddings().deleteCreatedBefore(Kind.MEMORY, memoryCutoff);
        nrt.commit();
        if (messages + memories > 0) {
            log.info("vector index retention: removed {} messages before {} and {} memories before {}",
                    messages, messageCutoff, memories, memoryCutoff);
        }
        return new RetentionResult(messages, memories, rows, messageCutoff, memoryCutoff);
    }

    /**
     * Removes the documents of these items (forgetting) and their stored embeddings, visibly, then rewrites the
     * affected segments and commits, so no copy of their text stays in the index files. Returns how many
     * documents went.
     */
    public long delete(Kind kind, Collection<Long> ids) throws IOException {
        if (ids.isEmpty()) return 0;
        Query[] keys = ids.stream().map(id -> (Query) new TermQuery(IndexFields.keyTerm(IndexItem.key(kind, id))))
                .toArray(Query[]::new);
        long removed = 0;
        nrt.refresh();
        for (Query key : keys) removed += nrt.count(key);
        nrt.awaitVisible(nrt.delete(keys));
        storage.embeddings().delete(kind, ids);
        nrt.expungeDeletes();
        return removed;
    }

    /** Removes every document of a chat (forgetting it) like {@link #delete}. Returns how many went. */
    public long deleteChat(String chatId) throws IOException {
        Query chat = IndexFields.chatFilter(chatId);
        nrt.refresh();
        long removed = nrt.count(chat);
        nrt.awaitVisible(nrt.delete(chat));
        nrt.expungeDeletes();
        return removed;
    }

    /** Makes every write so far durable (writes also commit by themselves every {@link VectorSettings#commitInterval()}). */
    public void commit() throws IOException {
        nrt.commit();
    }

    /** kNN recall ({@code vector}): cosine at least the similarity threshold, best first. */
    public MemorySource vectorSource() {
        return vectorSource;
    }

    /** BM25 recall ({@code lexical}) over message and memory text, best first. */
    public MemorySource lexicalSource() {
        return lexicalSource;
    }

    /** How {@link #open} found the index and what it did. */
    public IndexOpenReport openReport() {
        return openReport;
    }

    /** Messages currently in the index (all chats). */
    public long messageCount() throws IOException {
        return nrt.count(IndexFields.kindIs(Kind.MESSAGE));
    }

    /** Instant memories currently in the index (all chats). */
    public long memoryCount() throws IOException {
        return nrt.count(IndexFields.kindIs(Kind.MEMORY));
    }

    /** Stops a background load, commits and releases the index. Idempotent; writers must have stopped. */
    @Override
    public void close() throws IOException {
        stopCatchUp(LOADER_STOP_WAIT);
        if (closed.compareAndSet(false, true)) release(true);
    }

    private void release(boolean commit) throws IOException {
        try {
            nrt.close(commit);
        } finally {
            analyzer.close();
        }
    }
}
