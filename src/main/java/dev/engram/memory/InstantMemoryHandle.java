package dev.engram.memory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.task.MemoryTask;
import dev.engram.task.TaskEngine;
import dev.engram.task.TaskId;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/**
 * The seed's {@code AsyncInstantMemoryWrapper}: the memory of one chat, with background stores and
 * recall under a timeout. Obtained from {@link AsyncMemoryManager#instant}; immutable and thread-safe.
 */
public final class InstantMemoryHandle {
    private static final Logger log = LoggerFactory.getLogger(InstantMemoryHandle.class);

    private final TaskEngine<Recall> engine;
    private final String chatId;
    private final Duration defaultTimeout;
    private final Duration cacheTtl;

    InstantMemoryHandle(TaskEngine<Recall> engine, String chatId, Duration defaultTimeout, Duration cacheTtl) {
        this.engine = engine;
        this.cacheTtl = cacheTtl;
        this.chatId = Objects.requireNonNull(chatId, "chatId");
        this.defaultTimeout = defaultTimeout;
        if (chatId.isBlank()) throw new IllegalArgumentException("chatId must not be blank");
    }

    /** {@code store_memory_background(content)}: fire and forget (durable when this returns). */
    public TaskId storeInBackground(String content) {
        return engine.submit(new MemoryTask.Store(chatId, content));
    }

    /**
     * {@code get_memory_with_fallback(query, max_timeout)}: never completes exceptionally; an empty recall
     * with status {@code TIMEOUT} when {@code maxTimeout} passes first (logged as {@code 瞬时记忆检索超时}),
     * {@code SKIPPED} when the engine is saturated or stopped.
     */
    public CompletableFuture<Recall> recallWithFallback(String query, Duration maxTimeout) {
        CompletableFuture<Recall> recall;
        try {
            recall = engine.retrieve(chatId, query, Set.of(), engine.clock().instant().plus(maxTimeout));
        } catch (RuntimeException e) {
            log.warn("异步瞬时记忆：recall failed for chat {}: {}", chatId, e.toString());
            return CompletableFuture.completedFuture(Recall.empty(RecallStatus.SKIPPED));
        }
        return recall.thenApply(result -> {
            if (result.status() == RecallStatus.TIMEOUT) {
                log.info("瞬时记忆检索超时: chat={}, timeout={}", chatId, maxTimeout);
            } else {
                log.debug("异步瞬时记忆：chat={}, {} memories, status={}", chatId, result.memories().size(),
                        result.status().wire());
            }
            return result;
        });
    }

    /** {@code get_status()} of the wrapper. */
    public Status status() {
        var engineStatus = engine.status();
        return new Status(chatId, engineStatus.accepting(), engineStatus.cache().entries(),
                cacheTtl, defaultTimeout);
    }

    /**
     * @param available     whether the engine accepts work
     * @param cacheEntries  retrieval results cached (all chats)
     * @param cacheTtl      how long a result is served from the cache
     * @param defaultTimeout the recall timeout of {@link AsyncMemoryManager#retrieveNonBlocking}
     */
    public record Status(String chatId, boolean available, long cacheEntries, Duration cacheTtl,
                         Duration defaultTimeout) {
    }
}
