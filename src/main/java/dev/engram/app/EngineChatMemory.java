package dev.engram.app;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.chat.ChatMemory;
import dev.engram.model.Recall;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.Storage;
import dev.engram.task.MemoryTask;
import dev.engram.task.Staged;
import dev.engram.task.TaskEngine;

/**
 * The chat pipeline's memory over the task engine: a message and its {@code Store} task are written
 * in one transaction (acknowledged = durable), the task is handed to the engine after commit, and
 * recall runs on the engine's interactive lane under the caller's deadline. Thread-safe.
 */
final class EngineChatMemory implements ChatMemory {
    private final Storage storage;
    private final TaskEngine<Recall> engine;

    EngineChatMemory(Storage storage, TaskEngine<Recall> engine) {
        this.storage = storage;
        this.engine = engine;
    }

    @Override
    public ChatMessage persist(NewMessage message) {
        record Written(ChatMessage message, Staged task) {
        }
        Written written = storage.inTransaction(tx -> {
            ChatMessage m = tx.messages().append(message);
            return new Written(m, engine.stage(tx, new MemoryTask.Store(m.chatId(), m.text(), List.of(m.id()))));
        });
        engine.admit(written.task());
        return written.message();
    }

    @Override
    public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
        return engine.retrieve(chatId, query, excludeMessages, deadline);
    }
}
