package dev.engram.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.memory.graph.ActivatedSubgraph;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;
import dev.engram.store.Storage;
import dev.engram.task.MemoryTask;
import dev.engram.task.TaskEngine;
import dev.engram.task.DeadLetterOutcome;
import dev.engram.task.TaskId;
import dev.engram.task.TaskView;

/**
 * The memory facade every surface and the chat pipeline go through: durable intake and recall through the
 * task engine (lane bounds, single-flight, the one recall cache, deadlines), never on the caller's thread.
 * Thread-safe; nothing here waits for memory work except the outbox write of an intake.
 */
public final class MemoryService {
    private static final int GRAPH_VIEW_LIMIT = 20;

    private final Storage storage;
    private final TaskEngine<Recall> engine;
    private final AsyncMemoryManager manager;
    private final GraphMemory graph;
    private final FusedRecall recall;
    private final DurableIntake intake;

    /** @param recall the recall the engine's retrievals run, for {@link #prepareRecall} */
    public MemoryService(Storage storage, TaskEngine<Recall> engine, AsyncMemoryManager manager, GraphMemory graph,
                         FusedRecall recall) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.recall = Objects.requireNonNull(recall, "recall");
        this.intake = new DurableIntake(storage, engine);
    }

    /**
     * Intake: appends the message and stages its {@code Store} task in one transaction, then hands the task to
     * the engine. When this returns the message is acknowledged: it survives a crash and will be memorised.
     * Idempotent by the message's external id: a redelivered message is returned as a duplicate of the first
     * copy, and nothing is stored or memorised again.
     */
    public Intake intake(NewMessage message) {
        return intake.intake(message);
    }

    /** {@link #intake(NewMessage)}, for callers that only need the stored message. */
    public ChatMessage persist(NewMessage message) {
        return intake(message).message();
    }

    /**
     * Intake of a bot reply: the reply is logged as it is (history and prompt need it), but its {@code Store}
     * task carries only what the reply adds to memory ({@link EchoFilter#memorable}): nothing for the offline
     * template, and none of its sentences that restate one of the {@code injected} memories. Durable when
     * this returns, like {@link #intake(NewMessage)}.
     *
     * @param injected texts of the memories injected into the prompt the reply answered
     */
    public ChatMessage persistReply(NewMessage reply, Collection<String> injected) {
        return intake.persistReply(reply, injected);
    }

    /**
     * Starts the chat-independent part of a coming {@link #recall} of {@code query} (its embedding), so that it
     * runs while the message is being stored; returns at once and never throws.
     */
    public void prepareRecall(String query) {
        recall.prepare(query);
    }

    /** Recall for a reply, by {@code deadline}; never completes exceptionally. */
    public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
        return engine.retrieve(chatId, query, excludeMessages, deadline);
    }

    /** Recall of at most {@code limit} memories within {@code timeout}, as a reply's recall is run. */
    public CompletableFuture<Recall> search(String chatId, String query, int limit, Duration timeout) {
        Instant deadline = engine.clock().instant().plus(timeout);
        return engine.retrieve(new MemoryTask.Retrieve(chatId, query, Set.of(), deadline, limit));
    }

    /** Queues content to be remembered (durable when this returns). */
    public TaskId store(String chatId, String content) {
        return manager.storeNonBlocking(chatId, content);
    }

    /** Queues a graph memory build. */
    public TaskId build() {
        return manager.buildNonBlocking();
    }

    /** A task's state, if known. */
    public Optional<TaskView> task(TaskId id) {
        return engine.find(id);
    }

    /** The newest dead letters (see {@link TaskEngine#deadLetters}). */
    public List<TaskView> deadLetters(int limit) {
        return engine.deadLetters(limit);
    }

    /** How many dead letters there are. */
    public long deadLetterCount() {
        return engine.deadLetterCount();
    }

    /** Requeues a dead letter with fresh attempts (see {@link TaskEngine#retryDead}). */
    public DeadLetterOutcome retryDead(TaskId id) {
        return engine.retryDead(id);
    }

    /** Deletes a dead letter (see {@link TaskEngine#purgeDead}). */
    public DeadLetterOutcome purgeDead(TaskId id) {
        return engine.purgeDead(id);
    }

    /** Requeues every dead letter; returns how many. */
    public int retryAllDead() {
        return engine.retryAllDead();
    }

    /** Deletes every dead letter; returns how many. */
    public int purgeAllDead() {
        return engine.purgeAllDead();
    }

    /** The part of the graph a query activates, restricted to the chat's items. */
    public ActivatedSubgraph graph(String chatId, String query) {
        return graph.activated(chatId, query, GRAPH_VIEW_LIMIT);
    }

    /** The seed-parity manager over the same engine. */
    public AsyncMemoryManager manager() {
        return manager;
    }

    /** The clock deadlines refer to. */
    public Clock clock() {
        return engine.clock();
    }
}
