package dev.engram.chat;

import java.time.Duration;
import java.util.List;

import dev.engram.model.Memory;
import dev.engram.model.RecallStatus;

/**
 * The answer to one message.
 *
 * @param reply        the bot's reply text
 * @param chatId       the conversation
 * @param messageId    id of the stored user message
 * @param replyId      id of the stored reply
 * @param memories     the memories that went into the prompt
 * @param memoryStatus how recall ended
 * @param memoryTime   time spent on recall (bounded by the recall deadline)
 * @param replyTime    time spent waiting for the reply model
 * @param totalTime    whole handling time
 */
public record ChatResult(String reply, String chatId, long messageId, long replyId, List<Memory> memories,
                         RecallStatus memoryStatus, Duration memoryTime, Duration replyTime, Duration totalTime) {
    public ChatResult {
        memories = List.copyOf(memories);
    }
}
