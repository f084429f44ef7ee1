package dev.engram.surface.http;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.http.Context;

/**
 * {@code POST /api/memory}, {@code POST /api/memory/build}, {@code GET /api/memory/search} and
 * {@code GET /api/graph} (tasks: {@link TaskRoutes}).
 */
final class MemoryRoutes {
    private static final int MAX_K = 100;
    private static final int MAX_TIMEOUT_MS = 60_000;

    private final MemoryApi memory;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    MemoryRoutes(MemoryApi memory, ObjectMapper mapper, int maxBodyBytes) {
        this.memory = memory;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    void store(Context ctx) {
        JsonBody body = JsonBody.read(ctx, mapper, maxBodyBytes);
        String chatId = body.optionalId("chat_id", null, MessageRoutes.MAX_ID_LENGTH);
        if (chatId == null) throw ApiException.badRequest("missing_field", "field \"chat_id\" is required");
        String content = body.requiredString("content");
        ctx.attribute(RequestLog.CHAT_ATTRIBUTE, chatId);
        ctx.status(202).json(Map.of("task_id", memory.store(chatId, content)));
    }

    void build(Context ctx) {
        ctx.status(202).json(Map.of("task_id", memory.build()));
    }

    void search(Context ctx) {
        String chatId = requiredQuery(ctx, "chat_id");
        String q = requiredQuery(ctx, "q");
        int k = intQuery(ctx, "k", 10, 1, MAX_K);
        int timeout = intQuery(ctx, "timeout_ms", 2_000, 1, MAX_TIMEOUT_MS);
        ctx.attribute(RequestLog.CHAT_ATTRIBUTE, chatId);
        MemoryApi.SearchResult r = memory.search(chatId, q, k, Duration.ofMillis(timeout));
        ctx.json(new SearchResponse(r.memories().stream().map(MessageRoutes.MemoryDto::of).toList(),
                r.status().wire(), r.elapsedMs()));
    }

    void graph(Context ctx) {
        String chatId = requiredQuery(ctx, "chat_id");
        String q = ctx.queryParam("q");
        ctx.json(memory.graph(chatId, q == null ? "" : q));
    }

    record SearchResponse(java.util.List<MessageRoutes.MemoryDto> memories, String memoryStatus, long elapsedMs) {
    }

    static String requiredQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw ApiException.badRequest("missing_parameter", "query parameter \"" + name + "\" is required");
        }
        return v;
    }

    static int intQuery(Context ctx, String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return def;
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter",
                    "query parameter \"" + name + "\" must be an integer in [" + min + ", " + max + "]");
        }
    }
}
