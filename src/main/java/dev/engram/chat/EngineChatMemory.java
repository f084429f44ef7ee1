package dev.engram.chat;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.memory.MemoryService;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.Memory;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;

/**
 * The chat pipeline's memory over the {@link MemoryService}: a message and its {@code Store} task are written
 * in one transaction (acknowledged = durable) and recall runs on the task engine's interactive lane under
 * the caller's deadline. A bot reply's store task leaves out what restates the memories injected into its
 * prompt, and the offline template reply entirely ({@link MemoryService#persistReply}). Thread-safe.
 */
public final class EngineChatMemory implements ChatMemory {
    private final MemoryService memory;

    public EngineChatMemory(MemoryService memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    @Override
    public Intake intake(NewMessage message) {
        return memory.intake(message);
    }

    /** The reply is logged; its store task carries only what it adds beyond the injected memories. */
    @Override
    public ChatMessage persistReply(NewMessage reply, List<Memory> injected) {
        return memory.persistReply(reply, injected.stream().map(Memory::text).toList());
    }

    @Override
    public void prepareRecall(String query) {
        memory.prepareRecall(query);
    }

    @Override
    public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
        return memory.recall(chatId, query, excludeMessages, deadline);
    }
}
