package dev.engram.surface.onebot;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the work of one chat in arrival order, one task at a time, while different chats run in parallel: a
 * group's messages are stored in the order they were said, and a reply in progress holds back only its own
 * chat. A task's failure is logged and does not stop the lane. Thread-safe.
 */
final class ChatLanes {
    private static final Logger log = LoggerFactory.getLogger(ChatLanes.class);

    private final Executor executor;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    ChatLanes(Executor executor) {
        this.executor = executor;
    }

    /** Queues {@code task} behind the chat's earlier tasks. */
    void submit(String chatId, Runnable task) {
        try {
            CompletableFuture<Void> tail = tails.compute(chatId, (k, prev) ->
                    (prev == null ? CompletableFuture.<Void>completedFuture(null) : prev).thenRunAsync(() -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            log.error("OneBot task for chat {} failed", chatId, e);
                        }
                    }, executor));
            tail.whenComplete((r, e) -> tails.remove(chatId, tail));
        } catch (RejectedExecutionException e) {
            log.warn("OneBot surface is stopping; a message for chat {} is not processed", chatId);
        }
    }

    /** Chats with work queued or running. */
    int busy() {
        return tails.size();
    }
}
