package dev.engram.surface.http;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.chat.ChatRequest;
import dev.engram.chat.ChatResult;
import dev.engram.chat.ChatService;
import dev.engram.model.Memory;
import dev.engram.surface.SurfaceMetrics;
import io.javalin.http.Context;

/**
 * {@code POST /api/message}: one user message in, the bot's reply and the memories it used out. An optional
 * {@code message_id} (the bot's own id of the message) makes redelivery safe: a repeat is answered with
 * {@code "duplicate": true}, the first copy's id and no reply, and is neither stored nor remembered again.
 */
final class MessageRoutes {
    static final int MAX_ID_LENGTH = 128;

    private final ChatService chat;
    private final SurfaceMetrics surfaces;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    MessageRoutes(ChatService chat, SurfaceMetrics surfaces, ObjectMapper mapper, int maxBodyBytes) {
        this.chat = chat;
        this.surfaces = surfaces;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    void postMessage(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBodyBytes);
        String message = body.requiredString("message");
        String chatId = body.optionalId("chat_id", "default", MAX_ID_LENGTH);
        String userId = body.optionalId("user_id", null, MAX_ID_LENGTH);
        String userName = body.optionalId("user_name", null, MAX_ID_LENGTH);
        String messageId = body.optionalId("message_id", null, MAX_ID_LENGTH);
        ctx.attribute(RequestLog.CHAT_ATTRIBUTE, chatId);
        long start = System.nanoTime();
        String outcome = "error";
        try {
            ChatResult result = chat.handle(new ChatRequest(chatId, userId, userName, message, messageId));
            outcome = result.duplicate() ? "duplicate" : "ok";
            ctx.json(MessageResponse.of(result));
        } finally {
            surfaces.record(HttpApi.NAME, "message", outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Wire shape of the reply. */
    record MessageResponse(String reply, String chatId, long messageId, List<MemoryDto> memories, String memoryStatus,
                           Timings timingsMs, boolean duplicate) {
        static MessageResponse of(ChatResult r) {
            return new MessageResponse(r.reply(), r.chatId(), r.messageId(),
                    r.memories().stream().map(MemoryDto::of).toList(), r.memoryStatus().wire(),
                    new Timings(r.memoryTime().toMillis(), r.replyTime().toMillis(), r.totalTime().toMillis()),
                    r.duplicate());
        }
    }

    record Timings(long memory, long reply, long total) {
    }

    /** Wire shape of one recalled memory. */
    record MemoryDto(String text, String source, double score, List<Long> messageIds) {
        static MemoryDto of(Memory m) {
            return new MemoryDto(m.text(), m.source(), Math.round(m.score() * 10_000) / 10_000.0, m.messageIds());
        }
    }
}
