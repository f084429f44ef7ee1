package dev.engram.chat;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.engram.llm.LlmRequest;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.memory.EchoFilter;
import dev.engram.model.Memory;
import dev.engram.model.ChatMessage;

/**
 * Builds the reply prompt: persona, the recalled memories as a block (the original's
 * {@code 以下是当前在聊天中，你回忆起的记忆：} format), recent history and the new message.
 * Thread-safe (immutable).
 */
final class PromptAssembler {
    static final String MEMORY_HEADER = EchoFilter.MEMORY_HEADER;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Prompts prompts;
    private final String persona;
    private final ZoneId zone;

    PromptAssembler(Prompts prompts, String persona, ZoneId zone) {
        this.prompts = prompts;
        this.persona = persona;
        this.zone = zone;
    }

    LlmRequest reply(ChatMessage message, List<ChatMessage> history, List<Memory> memories) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("persona", persona);
        vars.put("memory_block", memoryBlock(memories));
        vars.put("history", history(history));
        vars.put("message", message.text());
        vars.put("user_name", message.displayName());
        return prompts.request(PromptId.REPLY, ModelSlot.REPLY, vars);
    }

    static String memoryBlock(List<Memory> memories) {
        if (memories.isEmpty()) return "";
        StringBuilder b = new StringBuilder(MEMORY_HEADER);
        for (Memory m : memories) b.append("\n- ").append(m.text().strip());
        return b.toString();
    }

    private String history(List<ChatMessage> history) {
        StringBuilder b = new StringBuilder();
        for (ChatMessage m : history) {
            if (!b.isEmpty()) b.append('\n');
            b.append(TIME.format(m.createdAt().atZone(zone))).append(' ').append(m.displayName()).append(": ")
                    .append(m.text());
        }
        return b.toString();
    }
}
