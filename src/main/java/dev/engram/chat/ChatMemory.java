package dev.engram.chat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;

/**
 * What the chat pipeline needs from memory: durable intake and bounded recall. Implementations
 * are thread-safe; none of these methods waits for memory work (LLM, embedding, graph).
 */
public interface ChatMemory {
    /**
     * Persists a message, together with the task that will memorise it, in one transaction. When
     * this returns, the message is acknowledged: it survives a crash and will be memorised. Idempotent by
     * the message's external id within its chat: a redelivery returns the first copy as a duplicate.
     */
    Intake intake(NewMessage message);

    /** {@link #intake}, for callers that only need the stored message. */
    default ChatMessage persist(NewMessage message) {
        return intake(message).message();
    }

    /**
     * Persists a bot reply like {@link #persist}; the reply stays in the history, but neither the
     * {@code injected} memories it may restate nor an offline template reply become memories. The default
     * memorises nothing differently (for ports that memorise no replies of their own).
     *
     * @param injected the memories that went into the reply's prompt
     */
    default ChatMessage persistReply(NewMessage reply, List<Memory> injected) {
        return persist(reply);
    }

    /**
     * Starts what a coming {@link #recall} of {@code query} needs and does not depend on the stored message
     * (the query's embedding), so that it overlaps the {@link #intake}. Returns at once and never throws; the
     * default does nothing.
     */
    default void prepareRecall(String query) {
    }

    /**
     * Recalls memories for a reply. The future completes by {@code deadline} (or very shortly
     * after) and never exceptionally: on failure or saturation it holds an empty recall whose
     * status says why.
     */
    CompletableFuture<Recall> recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline);
}
