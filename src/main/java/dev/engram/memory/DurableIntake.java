package dev.engram.memory;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;
import dev.engram.store.Storage;
import dev.engram.task.MemoryTask;
import dev.engram.task.Staged;
import dev.engram.task.TaskEngine;

/**
 * Durable intake: a message and its {@code Store} task in one transaction. Needs only the storage and the task
 * engine (built, not necessarily started: before the start its rows wait in the outbox for the replay), so a
 * server takes messages while its memory side still loads. Thread-safe.
 */
public final class DurableIntake {
    private final Storage storage;
    private final TaskEngine<Recall> engine;

    public DurableIntake(Storage storage, TaskEngine<Recall> engine) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Appends the message and stages its {@code Store} task in one transaction, then hands the task to the
     * engine. When this returns the message is acknowledged: it survives a crash and will be memorised.
     * Idempotent by the message's external id: a redelivered message is returned as a duplicate of the first
     * copy, and nothing is stored or memorised again.
     */
    public Intake intake(NewMessage message) {
        return intake(message, message.text());
    }

    /**
     * Intake of a bot reply: logged as it is, but its {@code Store} task carries only what the reply adds to
     * memory ({@link EchoFilter#memorable}).
     *
     * @param injected texts of the memories injected into the prompt the reply answered
     */
    public ChatMessage persistReply(NewMessage reply, Collection<String> injected) {
        if (reply.role() != ChatMessage.Role.ASSISTANT) throw new IllegalArgumentException("not a bot reply: " + reply.role());
        return intake(reply, EchoFilter.memorable(reply.text(), injected)).message();
    }

    private Intake intake(NewMessage message, String memorable) {
        record Written(Intake intake, Staged task) {
        }
        Written written;
        try {
            written = storage.inTransaction(tx -> {
                Intake in = tx.messages().appendOnce(message);
                if (in.duplicate()) return new Written(in, null);
                ChatMessage m = in.message();
                return new Written(in, engine.stage(tx, new MemoryTask.Store(m.chatId(), memorable, List.of(m.id()))));
            });
        } catch (RuntimeException e) {
            // a concurrent copy on another connection (or instance) won the unique (chat, external id) race
            if (message.externalId() == null) throw e;
            return storage.messages().findByExternalId(message.chatId(), message.externalId())
                    .map(Intake::duplicate).orElseThrow(() -> e);
        }
        if (written.task() != null) engine.admit(written.task());
        return written.intake();
    }
}
