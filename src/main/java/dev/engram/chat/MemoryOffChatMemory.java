package dev.engram.chat;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.model.Intake;
import dev.engram.store.Storage;
import dev.engram.model.NewMessage;

/**
 * The chat pipeline's memory when {@code memory.enable_memory = false}: messages are still logged
 * (the history of the reply prompt needs them) but nothing is memorised or recalled.
 */
public final class MemoryOffChatMemory implements ChatMemory {
    private final Storage storage;

    public MemoryOffChatMemory(Storage storage) {
        this.storage = storage;
    }

    @Override
    public Intake intake(NewMessage message) {
        return storage.inTransaction(tx -> tx.messages().appendOnce(message));
    }

    @Override
    public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> exclude, Instant deadline) {
        return CompletableFuture.completedFuture(Recall.empty(RecallStatus.DISABLED));
    }
}
