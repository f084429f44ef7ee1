package dev.engram.config;

import java.time.Duration;

/**
 * {@code [chat]}: how a reply is produced.
 *
 * @param persona         who the bot is; the first part of every reply prompt
 * @param historyMessages how many recent messages of the chat go into the reply prompt
 * @param replyTimeout    longest wait for the reply model; past it the request fails with 504
 * @param memoryMode      {@code async} (Engram as designed) or {@code blocking} (benchmark baseline)
 */
public record ChatConfig(String persona, int historyMessages, Duration replyTimeout, MemoryMode memoryMode) {
    /** {@code chat.memory_mode}. */
    public enum MemoryMode {
        /** Engram as designed: memory work runs in the background, recall under a deadline. */
        ASYNC,
        /**
         * The documented "before" baseline of the seed note, for benchmarks only: LLM recall and stores
         * inline on the reply path without deadline, and the graph build holding a lock that message
         * handling needs (the original's single event loop).
         */
        BLOCKING
    }

    /** The built-in defaults of {@code [chat]}. */
    public static final ChatConfig DEFAULTS = new ChatConfig("你是一个友好、简洁的聊天机器人，会自然地运用你记得的事情。", 10,
            Duration.ofSeconds(60), MemoryMode.ASYNC);

    /** Whether this is the benchmark-only blocking baseline. */
    public boolean blocking() {
        return memoryMode == MemoryMode.BLOCKING;
    }

    static ChatConfig read(Section s) {
        String persona = s.string("persona", DEFAULTS.persona, p -> !p.isBlank(), "must not be blank");
        int history = s.intValue("history_messages", DEFAULTS.historyMessages, 0, 200);
        int timeout = s.intValue("reply_timeout_ms", (int) DEFAULTS.replyTimeout.toMillis(), 100, 600_000);
        MemoryMode mode = s.choice("memory_mode", DEFAULTS.memoryMode);
        s.finish();
        return new ChatConfig(persona, history, Duration.ofMillis(timeout), mode);
    }
}
