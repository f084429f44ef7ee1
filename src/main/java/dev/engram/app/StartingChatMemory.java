package dev.engram.app;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.chat.ChatMemory;
import dev.engram.memory.DurableIntake;
import dev.engram.memory.MemoryService;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.Memory;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;
import dev.engram.task.TaskEngine;

/**
 * The chat pipeline's memory from the moment the port opens: intake is durable at once (message and
 * {@code Store} task in one transaction; a task staged before the engine starts waits in the outbox for its
 * replay), and recall goes through the engine, which answers {@code skipped} at once until it is started (so a
 * reply during the start comes back without memories rather than waiting). Once the memory side is loaded, the
 * recall's query embedding is prepared ahead of the intake. The blocking baseline of the benchmarks replaces all
 * of it ({@link #delegateTo}); its server opens only when loaded. Thread-safe.
 */
final class StartingChatMemory implements ChatMemory {
    private final DurableIntake intake;
    private final TaskEngine<Recall> engine;
    private volatile MemoryService prepared;
    private volatile ChatMemory delegate;

    StartingChatMemory(DurableIntake intake, TaskEngine<Recall> engine) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** From now on {@link #prepareRecall} starts the query's embedding through {@code service}. */
    void recallPreparedBy(MemoryService service) {
        this.prepared = service;
    }

    /** From now on every call goes to {@code other} (the blocking baseline). */
    void delegateTo(ChatMemory other) {
        this.delegate = other;
    }

    @Override
    public Intake intake(NewMessage message) {
        ChatMemory d = delegate;
        return d != null ? d.intake(message) : intake.intake(message);
    }

    /** The reply is logged; its store task carries only what it adds beyond the injected memories. */
    @Override
    public ChatMessage persistReply(NewMessage reply, List<Memory> injected) {
        ChatMemory d = delegate;
        return d != null ? d.persistReply(reply, injected)
                : intake.persistReply(reply, injected.stream().map(Memory::text).toList());
    }

    @Override
    public void prepareRecall(String query) {
        ChatMemory d = delegate;
        if (d != null) {
            d.prepareRecall(query);
            return;
        }
        MemoryService s = prepared;
        if (s != null) s.prepareRecall(query);
    }

    @Override
    public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
        ChatMemory d = delegate;
        return d != null ? d.recall(chatId, query, excludeMessages, deadline)
                : engine.retrieve(chatId, query, excludeMessages, deadline);
    }
}
