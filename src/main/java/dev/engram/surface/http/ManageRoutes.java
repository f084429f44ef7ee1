package dev.engram.surface.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.memory.manage.ForgetReceipt;
import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.manage.MemoryEntry;
import dev.engram.memory.manage.MemoryFilter;
import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.text.Unicode;
import io.javalin.http.Context;

/**
 * Users own their memory: {@code GET /api/chats}, {@code GET /api/chats/{chat}/memories},
 * {@code GET|PATCH|DELETE /api/memories/{id}}, {@code DELETE /api/chats/{chat}/speakers/{user}} and
 * {@code DELETE /api/chats/{chat}} over the {@link MemoryAdmin}.
 */
final class ManageRoutes {
    private static final int MAX_LIMIT = 500;
    private static final int MAX_TEXT = 4_000;

    private final MemoryAdmin admin;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    ManageRoutes(MemoryAdmin admin, ObjectMapper mapper, int maxBodyBytes) {
        this.admin = admin;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    void chats(Context ctx) {
        int limit = MemoryRoutes.intQuery(ctx, "limit", 100, 1, 10_000);
        ctx.json(new Chats(admin.chats(limit).stream()
                .map(c -> new ChatView(c.chatId(), c.messages(), c.memories(), c.lastMessageAt().toString())).toList()));
    }

    void list(Context ctx) {
        String chat = pathId(ctx, "chat");
        MemoryFilter filter = new MemoryFilter(optional(ctx, "speaker"), state(ctx), source(ctx), pinned(ctx),
                optional(ctx, "q"), instant(ctx, "from"), instant(ctx, "to"));
        int limit = MemoryRoutes.intQuery(ctx, "limit", 50, 1, MAX_LIMIT);
        String before = optional(ctx, "before");
        Long beforeId = before == null ? null : parseId(before, "before");
        MemoryAdmin.Page page = admin.list(chat, filter, beforeId, limit);
        ctx.json(new PageView(chat, page.memories().stream().map(MemoryView::of).toList(), page.nextBefore()));
    }

    void show(Context ctx) {
        long id = memoryId(ctx);
        MemoryAdmin.Detail d = admin.show(id).orElseThrow(() -> notFound(id));
        ctx.json(new DetailView(MemoryView.of(d.memory()), d.provenance().stream().map(MessageView::of).toList(),
                d.history().stream().map(MemoryView::of).toList()));
    }

    /** {@code PATCH /api/memories/{id}}: {@code {"text": ...}} corrects it, {@code {"pinned": true|false}} pins it. */
    void edit(Context ctx) throws Exception {
        long id = memoryId(ctx);
        JsonBody body = JsonBody.read(ctx, mapper, maxBodyBytes);
        Boolean pinned = body.optionalBoolean("pinned");
        String text = pinned != null && body.optionalString("text", null) == null ? null : body.requiredString("text");
        if (text != null && text.length() > MAX_TEXT) {
            throw ApiException.badRequest("invalid_field", "field \"text\" must be at most " + MAX_TEXT + " characters");
        }
        MemoryEntry result;
        if (text == null) {
            result = null;
        } else {
            try {
                result = admin.edit(id, text);
            } catch (NoSuchElementException e) {
                throw notFound(id);
            } catch (IllegalStateException e) {
                throw new ApiException(409, "memory_superseded", e.getMessage());
            }
        }
        long target = result == null ? id : result.memory().id();
        if (pinned != null) result = admin.pin(target, pinned).orElseThrow(() -> notFound(id));
        ctx.json(new Edited(MemoryView.of(result), id));
    }

    void delete(Context ctx) throws Exception {
        long id = memoryId(ctx);
        ForgetReceipt r = admin.delete(id).orElseThrow(() -> notFound(id));
        ctx.json(new Deleted(r.memories(), r.embeddings(), r.indexDocuments()));
    }

    void forgetSpeaker(Context ctx) throws Exception {
        String chat = pathId(ctx, "chat");
        String user = pathId(ctx, "user");
        boolean everywhere = Boolean.parseBoolean(ctx.queryParam("everywhere"));
        ctx.attribute(RequestLog.CHAT_ATTRIBUTE, chat);
        ctx.json(admin.forgetSpeaker(everywhere ? null : chat, user));
    }

    void forgetChat(Context ctx) throws Exception {
        String chat = pathId(ctx, "chat");
        ctx.attribute(RequestLog.CHAT_ATTRIBUTE, chat);
        ctx.json(admin.forgetChat(chat));
    }

    private static ApiException notFound(long id) {
        return new ApiException(404, "memory_not_found", "no memory " + id);
    }

    private static long memoryId(Context ctx) {
        return parseId(ctx.pathParam("id"), "id");
    }

    private static long parseId(String raw, String name) {
        try {
            long id = Long.parseLong(raw.strip());
            if (id < 1) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", "\"" + name + "\" must be a positive integer, was " + raw);
        }
    }

    static String pathId(Context ctx, String name) {
        String v = ctx.pathParam(name);
        if (!Unicode.hasVisibleText(v) || !Unicode.wellFormed(v) || v.length() > MessageRoutes.MAX_ID_LENGTH) {
            throw ApiException.badRequest("invalid_parameter", "path parameter \"" + name + "\" must be a non-empty id of at most "
                    + MessageRoutes.MAX_ID_LENGTH + " characters");
        }
        return v;
    }

    private static String optional(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static MemoryFilter.State state(Context ctx) {
        String v = optional(ctx, "state");
        if (v == null) return MemoryFilter.State.ALL;
        try {
            return MemoryFilter.State.valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter", "\"state\" must be current, superseded or all, was " + v);
        }
    }

    private static String source(Context ctx) {
        String v = optional(ctx, "source");
        if (v == null) return null;
        String source = v.strip().toLowerCase(Locale.ROOT);
        if (!MemoryFilter.SOURCES.contains(source)) {
            throw ApiException.badRequest("invalid_parameter", "\"source\" must be instant or manual, was " + v);
        }
        return source;
    }

    private static Boolean pinned(Context ctx) {
        String v = optional(ctx, "pinned");
        if (v == null) return null;
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("invalid_parameter", "\"pinned\" must be true or false, was " + v);
        };
    }

    private static Instant instant(Context ctx, String name) {
        String v = optional(ctx, name);
        if (v == null) return null;
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_parameter", "\"" + name + "\" must be an ISO-8601 instant such as"
                    + " 2026-12-01T00:00:00Z, was " + v);
        }
    }

    record Chats(List<ChatView> chats) {
    }

    record ChatView(String chatId, long messages, long memories, String lastMessageAt) {
    }

    record PageView(String chatId, List<MemoryView> memories, Long nextBefore) {
    }

    record DetailView(MemoryView memory, List<MessageView> provenance, List<MemoryView> history) {
    }

    record Edited(MemoryView memory, long previousId) {
    }

    record Deleted(DeletedCounts deleted) {
        Deleted(long memories, long embeddings, long indexDocuments) {
            this(new DeletedCounts(memories, embeddings, indexDocuments));
        }
    }

    record DeletedCounts(long memories, long embeddings, long indexDocuments) {
    }

    /** Wire shape of one memory. */
    record MemoryView(long id, String chatId, String text, String speakerId, String speakerName, String source,
                      String createdAt, String validTo, Long supersededBy, List<Long> supersedes, boolean current,
                      List<Long> messageIds, boolean pinned) {
        static MemoryView of(MemoryEntry e) {
            StoredMemory m = e.memory();
            return new MemoryView(m.id(), m.chatId(), m.text(), e.speakerId(), e.speakerName(), e.source(),
                    m.createdAt().toString(), m.validTo() == null ? null : m.validTo().toString(), m.supersededBy(),
                    m.supersedes(), m.current(), m.messageIds(), e.pinned());
        }
    }

    /** Wire shape of one message. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MessageView(long id, String chatId, String role, String userId, String userName, String text, String createdAt) {
        static MessageView of(ChatMessage m) {
            return new MessageView(m.id(), m.chatId(), m.role() == ChatMessage.Role.USER ? "user" : "assistant", m.userId(),
                    m.userName(), m.text(), m.createdAt().toString());
        }
    }
}
