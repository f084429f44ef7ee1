package dev.engram.config;

import java.time.Duration;

/**
 * {@code [chat]}: how a reply is produced.
 *
 * @param persona         who the bot is; the first part of every reply prompt
 * @param historyMessages how many recent messages of the chat go into the reply prompt
 * @param replyTimeout    longest wait for the reply model; past it the request fails with 504
 * @param memoryMode      {@code async} (Engram as designed) or {@code blocking}: the documented "before"
 *                        baseline of the seed note for benchmarks only — LLM recall and stores inline on
 *                        the reply path without deadline, and the graph build holding a lock that message
 *                        handling needs (the original's single event loop)
 */
public record ChatConfig(String persona, int historyMessages, Duration replyTimeout, String memoryMode) {
    /** Whether this is the benchmark-only blocking baseline. */
    public boolean blocking() {
        return "blocking".equals(memoryMode);
    }

    static ChatConfig read(Section s) {
        String persona = s.string("persona", "你是一个友好、简洁的聊天机器人，会自然地运用你记得的事情。",
                p -> !p.isBlank(), "must not be blank");
        int history = s.intValue("history_messages", 10, 0, 200);
        int timeout = s.intValue("reply_timeout_ms", 60_000, 100, 600_000);
        String mode = s.string("memory_mode", "async", m -> m.equals("async") || m.equals("blocking"),
                "must be \"async\" or \"blocking\" (blocking is a benchmark baseline)");
        s.finish();
        return new ChatConfig(persona, history, Duration.ofMillis(timeout), mode);
    }
}
