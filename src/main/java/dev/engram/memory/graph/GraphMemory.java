package dev.engram.memory.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.store.MemoryRepository;
import dev.engram.store.Storage;

/**
 * The graph long-term memory ("hippocampus"): the entry point the application wires. It builds memory
 * from chat history ({@link #build}), forgets ({@link #forget}), consolidates ({@link #consolidate}),
 * takes memories written elsewhere ({@link #remember}, {@link #indexWriter}), answers recall
 * ({@link #source}) and reports ({@link #status}, {@link #activated}).
 *
 * <p>Concurrency:
 * <ul>
 *   <li>Readers ({@link #source}, {@link #snapshot}, {@link #activated}, {@link #status}) are lock-free:
 *       they read the newest immutable {@link GraphSnapshot}.</li>
 *   <li>Every change goes through the single writer of {@link GraphStore}, one short transaction at a
 *       time, always against the newest graph; nobody holds it across an LLM call. So a
 *       {@link #remember} arriving during a long build waits at most for one step's transaction and is
 *       never lost.</li>
 *   <li>Build, forget and consolidate also take a maintenance lock, so they never interleave (the task
 *       engine's maintenance lane already runs them one at a time; this makes the class safe on its
 *       own). The random generator is only used under that lock.</li>
 * </ul>
 * Thread-safe. Build one per storage; nothing here is static.
 */
public final class GraphMemory {
    private static final Logger log = LoggerFactory.getLogger(GraphMemory.class);

    private final GraphStore store;
    private final MemoryRepository memories;
    private final GraphSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final RunLog runs;
    private final GraphBuilder builder;
    private final Forgetter forgetter;
    private final Consolidator consolidator;
    private final TopicParser parser;
    private final GraphSource source;
    private final SubgraphView subgraphs;
    private final ReentrantLock maintenance = new ReentrantLock();

    private GraphMemory(Storage storage, LlmClient llm, Prompts prompts, GraphSettings settings, Clock clock,
                        RandomGenerator random, GraphChangeListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.store = new GraphStore(storage, clock, listener);
        this.memories = storage.memories();
        this.runs = new RunLog(store);
        this.parser = new TopicParser(settings.banWords());
        TopicExtractor extractor = new TopicExtractor(Objects.requireNonNull(llm, "llm"),
                Objects.requireNonNull(prompts, "prompts"), parser, settings);
        this.builder = new GraphBuilder(store, storage.messages(), extractor, settings, runs, clock, random);
        this.forgetter = new Forgetter(settings);
        this.consolidator = new Consolidator(settings);
        ActivationSearch search = new ActivationSearch(settings);
        this.source = new GraphSource(store, search, clock);
        this.subgraphs = new SubgraphView(search);
    }

    /**
     * Opens the graph memory and loads the stored graph (nodes, items, edges with their strengths and
     * times, last runs).
     *
     * @param llm      answers the topic and summary prompts of a build (slot {@code UTILS}); its own
     *                 concurrency limit bounds the build's parallel calls
     * @param random   sampling and forgetting draw from it (seed it in tests)
     * @param listener told after every published change (e.g. to invalidate cached recalls)
     */
    public static GraphMemory open(Storage storage, LlmClient llm, Prompts prompts, GraphSettings settings,
                                   Clock clock, RandomGenerator random, GraphChangeListener listener) {
        GraphMemory graph = new GraphMemory(Objects.requireNonNull(storage, "storage"), llm, prompts, settings, clock,
                random, Objects.requireNonNull(listener, "listener"));
        GraphSnapshot loaded = graph.store.load();
        graph.runs.load();
        log.info("[记忆图] 已加载 {} 个概念、{} 条连接、{} 条记忆；每次构建抽样 {} 段（每段至多 {} 条消息），分布 {}，"
                        + "遗忘：{} 后开始、每次检查 {}%；整合阈值 {}、每次检查 {}%",
                loaded.nodeCount(), loaded.edgeCount(), loaded.itemCount(), settings.sampleNum(), settings.sampleLength(),
                settings.distribution(), settings.forgetTime(), settings.forgetPercentage() * 100,
                settings.consolidationThreshold(), settings.consolidationCheckPercentage() * 100);
        return graph;
    }

    /** {@link #open(Storage, LlmClient, Prompts, GraphSettings, Clock, RandomGenerator, GraphChangeListener)} without a listener. */
    public static GraphMemory open(Storage storage, LlmClient llm, Prompts prompts, GraphSettings settings,
                                   Clock clock, RandomGenerator random) {
        return open(storage, llm, prompts, settings, clock, random, GraphChangeListener.NONE);
    }

    /**
     * One build (the {@code Build} task's work): samples history, extracts topics and summaries with
     * parallel LLM calls, and writes each snippet as one step. Blocks the calling (maintenance) thread
     * until done; never blocks readers or {@link #remember}.
     *
     * @throws InterruptedException when the thread is interrupted (deadline); finished steps stay
     * @throws dev.engram.common.RetriableException when every snippet failed retriably (e.g. LLM down)
     */
    public BuildReport build(BuildProgressListener listener) throws InterruptedException {
        return maintained(() -> builder.build(Objects.requireNonNull(listener, "listener")));
    }

    /**
     * Builds memory from the whole history of one chat (e.g. an imported conversation), in snippets of
     * consecutive messages below the memorised limit, cut at silences longer than the snippet window.
     */
    public BuildReport buildHistory(String chatId, BuildProgressListener listener) throws InterruptedException {
        Objects.requireNonNull(chatId, "chatId");
        return maintained(() -> builder.buildHistory(chatId, Objects.requireNonNull(listener, "listener")));
    }

    /** {@link #forget(PinnedItems)} with nothing pinned. */
    public ForgetReport forget() throws InterruptedException {
        return forget(PinnedItems.NONE);
    }

    /** One forget pass (the {@code Forget} task's work), written as one transaction; {@code pinned} items stay. */
    public ForgetReport forget(PinnedItems pinned) throws InterruptedException {
        Objects.requireNonNull(pinned, "pinned");
        return maintained(() -> {
            Instant start = clock.instant();
            try {
                ForgetReport r = store.write(m -> forgetter.forget(m, random, pinned)).withDuration(millisSince(start));
                runs.record(RunLog.FORGET, start, r.durationMillis(), "ok", r.summary());
                log.info("[遗忘] {}", r.summary());
                return r;
            } catch (RuntimeException e) {
                runs.record(RunLog.FORGET, start, millisSince(start), "failed", e.toString());
                throw e;
            }
        });
    }

    /** {@link #consolidate(PinnedItems)} with nothing pinned. */
    public ConsolidateReport consolidate() throws InterruptedException {
        return consolidate(PinnedItems.NONE);
    }

    /**
     * One consolidation pass (the {@code Consolidate} task's work), written as one transaction; {@code pinned} items
     * are never merged away.
     */
    public ConsolidateReport consolidate(PinnedItems pinned) throws InterruptedException {
        Objects.requireNonNull(pinned, "pinned");
        return maintained(() -> {
            Instant start = clock.instant();
            try {
                ConsolidateReport r = store.write(m -> consolidator.consolidate(m, random, pinned)).withDuration(millisSince(start));
                runs.record(RunLog.CONSOLIDATE, start, r.durationMillis(), "ok", r.summary());
                log.info("[整合] {}", r.summary());
                return r;
            } catch (RuntimeException e) {
                runs.record(RunLog.CONSOLIDATE, start, millisSince(start), "failed", e.toString());
                throw e;
            }
        });
    }

    /**
     * Adds a memory written elsewhere (e.g. an instant memory and its keywords) to the graph: each
     * concept gets the text as a de-duplicated item, and the concepts are linked pairwise (+1) when the
     * memory is new to at least one of them, so replaying the same memory changes nothing. Concepts
     * follow the topic rules (ban words, no "none", at most 8).
     *
     * @return how many new items were written
     */
    public int remember(String chatId, List<String> concepts, String text, List<Long> messageIds, Instant createdAt) {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        List<String> clean = parser.clean(concepts, ActivationSearch.MAX_KEYWORDS);
        if (clean.isEmpty() || text.isBlank()) return 0;
        return store.write(m -> {
            Set<Long> nodes = new LinkedHashSet<>();
            int added = 0;
            for (String c : clean) {
                long id = m.ensureNode(c);
                nodes.add(id);
                if (m.addItem(id, chatId, text, messageIds, createdAt).change() == GraphMutation.ItemChange.ADDED) added++;
            }
            List<Long> ids = new ArrayList<>(nodes);
            if (added > 0) {
                for (int i = 0; i < ids.size(); i++) for (int j = i + 1; j < ids.size(); j++) m.strengthen(ids.get(i), ids.get(j));
            }
            return added;
        });
    }

    /**
     * Writes an exported graph back as it was ({@link GraphRestore#apply}), in one transaction: unlike
     * {@link #remember}, concepts are not linked by co-occurrence; the links come with their strengths.
     */
    public GraphRestore.Outcome restore(GraphRestore graph) {
        Objects.requireNonNull(graph, "graph");
        return store.write(graph::apply);
    }

    /**
     * Removes the chat's items whose text is one of {@code texts} (facts a newer one superseded: the memory
     * table keeps them as history, the graph no longer serves them). Nodes and links stay.
     *
     * @return how many items were removed
     */
    public int forget(String chatId, Collection<String> texts) {
        Objects.requireNonNull(chatId, "chatId");
        if (texts.isEmpty()) return 0;
        Set<String> gone = Set.copyOf(texts);
        return store.write(m -> {
            List<GraphItem> doomed = new ArrayList<>();
            for (NodeEntry e : m.graph().entries()) {
                for (NodeEntry.ItemEntry i : e.items()) {
                    if (i.item().chatId().equals(chatId) && gone.contains(i.item().text())) doomed.add(i.item());
                }
            }
            doomed.forEach(m::removeItem);
            return doomed.size();
        });
    }

    /** What {@link #forgetMessages} removed. */
    public record Forgotten(int items, int nodes, int edges) {
    }

    /**
     * Forgets what came from the given messages of a chat: its items citing any of them or quoting one of
     * {@code quoted} verbatim (or, with {@code wholeChat}, every item of the chat), then, with its edges, every
     * node left without items that lost one here or whose concept is a word of a {@code quoted} text. The
     * deletion is one transaction and one published snapshot.
     */
    public Forgotten forgetMessages(String chatId, Set<Long> messageIds, Set<String> quoted, boolean wholeChat) {
        Objects.requireNonNull(chatId, "chatId");
        if (!wholeChat && messageIds.isEmpty() && quoted.isEmpty()) return new Forgotten(0, 0, 0);
        return store.write(m -> {
            List<GraphItem> doomed = new ArrayList<>();
            Set<Long> touched = new LinkedHashSet<>();
            for (NodeEntry e : m.graph().entries()) {
                for (NodeEntry.ItemEntry i : e.items()) {
                    GraphItem item = i.item();
                    if (!item.chatId().equals(chatId)) continue;
                    if (wholeChat || item.messageIds().stream().anyMatch(messageIds::contains)
                            || quoted.stream().anyMatch(item.text()::contains)) {
                        doomed.add(item);
                        touched.add(item.nodeId());
                    }
                }
            }
            doomed.forEach(m::removeItem);
            List<NodeEntry> empty = new ArrayList<>();
            for (NodeEntry e : m.graph().entries()) {
                if (!e.items().isEmpty()) continue;
                String concept = e.node().concept();
                if (touched.contains(e.id()) || quoted.stream().anyMatch(q -> q.contains(concept))) empty.add(e);
            }
            Set<GraphEdge> edges = new java.util.HashSet<>();
            for (NodeEntry e : empty) {
                edges.addAll(e.edges().values());
                m.removeNode(e.id());
            }
            return new Forgotten(doomed.size(), empty.size(), edges.size());
        });
    }

    /** The recall source ({@code graph}) for fusion. */
    public GraphSource source() {
        return source;
    }

    /** A {@link dev.engram.memory.MemoryIndexWriter} that adds every instant memory to the graph. */
    public GraphIndexWriter indexWriter() {
        return new GraphIndexWriter(this, memories);
    }

    /**
     * Replaces the snapshot with what the database holds now (another instance changed the graph; see
     * {@code dev.engram.memory.cluster.ChangeFollower}). Waits for a write in progress; readers go on with the
     * previous snapshot meanwhile. The listener is not told: the caller knows which chats changed. Returns the new
     * snapshot's version.
     */
    public long reload() {
        return store.load().version();
    }

    /** The newest snapshot. Lock-free. */
    public GraphSnapshot snapshot() {
        return store.snapshot();
    }

    /** Counts, last runs and the build in flight. Lock-free. */
    public GraphStatus status() {
        GraphSnapshot g = store.snapshot();
        return new GraphStatus(g.nodeCount(), g.edgeCount(), g.itemCount(), g.version(), runs.last(RunLog.BUILD),
                runs.last(RunLog.FORGET), runs.last(RunLog.CONSOLIDATE), runs.current());
    }

    /**
     * What {@code query} activates in the chat's graph ({@code GET /api/graph}); a blank query lists the
     * chat's concepts with the most items. Lock-free.
     *
     * @param limit most concepts returned (items: up to three times as many)
     */
    public ActivatedSubgraph activated(String chatId, String query, int limit) {
        Objects.requireNonNull(chatId, "chatId");
        if (limit <= 0) throw new IllegalArgumentException("limit must be > 0, was " + limit);
        return subgraphs.of(store.snapshot(), chatId, query, limit);
    }

    /** The settings in use. */
    public GraphSettings settings() {
        return settings;
    }

    /** The writer (for tests in this package). */
    GraphStore store() {
        return store;
    }

    private long millisSince(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }

    /** Work that may throw {@link InterruptedException}. */
    @FunctionalInterface
    private interface Maintenance<T> {
        T run() throws InterruptedException;
    }

    private <T> T maintained(Maintenance<T> work) throws InterruptedException {
        maintenance.lockInterruptibly();
        try {
            return work.run();
        } finally {
            maintenance.unlock();
        }
    }
}
