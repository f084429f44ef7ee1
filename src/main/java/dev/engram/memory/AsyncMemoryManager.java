package dev.engram.memory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.task.EngineStatus;
import dev.engram.task.MemoryTask;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskId;
import dev.engram.model.Recall;

/**
 * The seed's {@code NonBlockingMemoryManager} API over the {@link TaskEngine} (see the parity table in
 * DESIGN.md). Unlike the original, nothing here is a global: build one per engine. Thread-safe; no method
 * waits for memory work (a store waits only for its outbox write).
 */
public final class AsyncMemoryManager {
    private final TaskEngine<Recall> engine;
    private final Duration defaultRecallTimeout;
    private final Duration cacheTtl;

    /**
     * @param defaultRecallTimeout how long {@link #retrieveNonBlocking} waits at most (the seed's 2 s)
     * @param cacheTtl             how long the engine's recall cache serves a result (reported by status)
     */
    public AsyncMemoryManager(TaskEngine<Recall> engine, Duration defaultRecallTimeout, Duration cacheTtl) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        this.defaultRecallTimeout = Objects.requireNonNull(defaultRecallTimeout, "defaultRecallTimeout");
        if (!defaultRecallTimeout.isPositive()) {
            throw new IllegalArgumentException("defaultRecallTimeout must be > 0 (was " + defaultRecallTimeout + ")");
        }
    }

    /** {@code store_memory_nonblocking(chat_id, content)}: durable when this returns, memorised later. */
    public TaskId storeNonBlocking(String chatId, String content) {
        return engine.submit(new MemoryTask.Store(chatId, content));
    }

    /**
     * {@code retrieve_memory_nonblocking(chat_id, query)}: a cached result at once, otherwise the result
     * of a (shared) retrieval, by the default timeout at the latest. Never completes exceptionally.
     */
    public CompletableFuture<Recall> retrieveNonBlocking(String chatId, String query) {
        return engine.retrieve(chatId, query, Set.of(), engine.clock().instant().plus(defaultRecallTimeout));
    }

    /** {@code build_memory_nonblocking()}: queues a memory build (logged as {@code 记忆构建任务已提交：<id>}). */
    public TaskId buildNonBlocking() {
        return engine.submit(new MemoryTask.Build());
    }

    /** {@code get_status()}: queues, totals and cache of the engine. */
    public EngineStatus status() {
        return engine.status();
    }

    /** {@code get_async_instant_memory(chat_id)}: a light handle bound to one chat (not cached). */
    public InstantMemoryHandle instant(String chatId) {
        return new InstantMemoryHandle(engine, chatId, defaultRecallTimeout, cacheTtl);
    }
}
