package dev.engram.memory;

import java.time.Instant;
import java.util.Set;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/**
 * Local recall: asks every memory source for a chat and fuses the answers. Implementations are
 * thread-safe, never call an LLM, and must return by {@code deadline} (they run on the task
 * engine's interactive lane, which enforces it as well).
 */
@FunctionalInterface
public interface RecallService {
    /**
     * @param chatId          chat whose memory is searched; other chats' memory never appears
     * @param query           the text to recall for (usually the user's message)
     * @param excludeMessages ids of the current turn's messages, which must not be recalled
     * @param deadline        when the caller stops waiting
     */
    Recall recall(String chatId, String query, Set<Long> excludeMessages, Instant deadline) throws Exception;

    /** A service with no sources yet: always an empty, complete recall. */
    static RecallService none() {
        return (chatId, query, exclude, deadline) -> Recall.empty(RecallStatus.OK);
    }
}
