package dev.engram.chat;

import java.time.Duration;
import java.util.List;

import dev.engram.model.Memory;
import dev.engram.model.RecallStatus;

/**
 * The answer to one message.
 *
 * @param reply        the bot's reply text; {@code null} for a duplicate
 * @param chatId       the conversation
 * @param messageId    id of the stored user message (the first copy's, for a duplicate)
 * @param replyId      id of the stored reply; {@code -1} for a duplicate
 * @param memories     the memories that went into the prompt
 * @param memoryStatus how recall ended
 * @param memoryTime   time spent on recall (bounded by the recall deadline)
 * @param replyTime    time spent waiting for the reply model
 * @param totalTime    whole handling time
 * @param duplicate    the message had been received before (same chat and external id): it was neither
 *                     stored again nor answered
 */
public record ChatResult(String reply, String chatId, long messageId, long replyId, List<Memory> memories,
                         RecallStatus memoryStatus, Duration memoryTime, Duration replyTime, Duration totalTime,
                         boolean duplicate) {
    public ChatResult {
        memories = List.copyOf(memories);
    }

    /** The result for a redelivered message: nothing recalled, nothing answered. */
    static ChatResult duplicateOf(String chatId, long messageId, Duration totalTime) {
        return new ChatResult(null, chatId, messageId, -1, List.of(), RecallStatus.SKIPPED, Duration.ZERO,
                Duration.ZERO, totalTime, true);
    }
}
