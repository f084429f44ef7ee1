package dev.engram.memory.manage;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.model.ChatMessage;

/**
 * The parsed and checked lines of an export ({@link MemoryExport}'s format): nothing is written before every line
 * passed. Not thread-safe; one per import.
 */
final class ImportRecords {
    /** Longest id or chat id accepted, as the message API. */
    private static final int MAX_ID = 128;
    private static final int MAX_TEXT = 100_000;

    record Message(int line, long id, String chatId, ChatMessage.Role role, String speakerId, String speakerName,
                   String text, Instant createdAt, String externalId, int memorizedTimes, boolean forgotten) {
    }

    record Memory(int line, long id, String chatId, String text, List<String> keywords, List<Long> messageIds,
                  Instant createdAt, List<Long> supersedes, boolean pinned) {
    }

    record GraphItem(int line, String chatId, String text, List<String> concepts, List<Long> messageIds,
                     Instant createdAt) {
    }

    record GraphEdge(int line, String a, String b, int strength, Instant createdAt, Instant lastModified) {
    }

    final List<Message> messages = new ArrayList<>();
    final List<Memory> memories = new ArrayList<>();
    final List<GraphItem> graphItems = new ArrayList<>();
    /** The file's concepts in order ({@code graph_node}, version 2). */
    final List<String> graphNodes = new ArrayList<>();
    final List<GraphEdge> graphEdges = new ArrayList<>();
    private final Map<Long, String> messageChats = new HashMap<>();
    private final Map<Long, String> memoryChats = new HashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private int line;

    /** Reads every line; throws {@link MemoryImport.InvalidLineException} at the first bad one. */
    static ImportRecords read(BufferedReader in) throws IOException {
        ImportRecords r = new ImportRecords();
        boolean header = false;
        for (String raw; (raw = in.readLine()) != null; ) {
            r.line++;
            if (raw.isBlank()) continue;
            JsonNode n;
            try {
                n = r.json.readTree(raw);
            } catch (JsonProcessingException e) {
                throw r.bad("not JSON: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) throw r.bad("not a JSON object");
            String type = n.path("type").asText("");
            if (!header) {
                if (!type.equals("header")) throw r.bad("the first line must be the header ({\"type\":\"header\",...})");
                if (!MemoryExport.FORMAT.equals(n.path("format").asText())) {
                    throw r.bad("format must be \"" + MemoryExport.FORMAT + "\"");
                }
                int version = n.path("version").asInt(0);
                if (version < 1 || version > MemoryExport.VERSION) {
                    throw r.bad("unsupported version " + n.path("version") + " (this Engram reads 1.." + MemoryExport.VERSION + ")");
                }
                header = true;
                continue;
            }
            switch (type) {
                case "message" -> r.message(n);
                case "memory" -> r.memory(n);
                case "graph_item" -> r.graphItem(n);
                case "graph_node" -> r.graphNodes.add(r.text(n, "concept"));
                case "graph_edge" -> r.graphEdge(n);
                case "header" -> throw r.bad("a second header");
                default -> throw r.bad("unknown type \"" + type + "\" (message, memory, graph_item, graph_node, graph_edge)");
            }
        }
        if (!header) throw new MemoryImport.InvalidLineException(Math.max(1, r.line), "empty import: no header line");
        return r;
    }

    /** The chats the records touch, in order of first appearance. */
    List<String> chats() {
        Set<String> out = new java.util.LinkedHashSet<>();
        messages.forEach(m -> out.add(m.chatId()));
        memories.forEach(m -> out.add(m.chatId()));
        graphItems.forEach(g -> out.add(g.chatId()));
        return List.copyOf(out);
    }

    private void message(JsonNode n) {
        long id = positive(n, "id");
        String chat = id(n, "chat_id", true);
        if (messageChats.putIfAbsent(id, chat) != null) throw bad("message id " + id + " appears twice");
        ChatMessage.Role role = switch (n.path("role").asText("")) {
            case "user" -> ChatMessage.Role.USER;
            case "assistant" -> ChatMessage.Role.ASSISTANT;
            default -> throw bad("field \"role\" must be \"user\" or \"assistant\"");
        };
        int memorized = n.path("memorized_times").asInt(0);
        if (memorized < 0 || memorized > 100) throw bad("field \"memorized_times\" must be in [0, 100]");
        messages.add(new Message(line, id, chat, role, id(n, "speaker_id", false), id(n, "speaker_name", false),
                text(n, "text"), instant(n, "created_at"), id(n, "external_id", false), memorized,
                n.path("forgotten").asBoolean(false)));
    }

    private void memory(JsonNode n) {
        long id = positive(n, "id");
        String chat = id(n, "chat_id", true);
        List<Long> supersedes = ids(n, "supersedes");
        for (Long old : supersedes) {
            if (!chat.equals(memoryChats.get(old))) {
                throw bad("memory " + id + " supersedes " + old + ", which is not an earlier memory of chat " + chat);
            }
        }
        if (memoryChats.putIfAbsent(id, chat) != null) throw bad("memory id " + id + " appears twice");
        JsonNode pinned = n.path("pinned");
        if (!pinned.isMissingNode() && !pinned.isNull() && !pinned.isBoolean()) throw bad("field \"pinned\" must be a boolean");
        memories.add(new Memory(line, id, chat, text(n, "text"), strings(n, "keywords"), ids(n, "message_ids"),
                instant(n, "created_at"), supersedes, pinned.asBoolean(false)));
    }

    private void graphItem(JsonNode n) {
        List<String> concepts = strings(n, "concepts");
        if (concepts.isEmpty()) throw bad("field \"concepts\" must name at least one concept");
        graphItems.add(new GraphItem(line, id(n, "chat_id", true), text(n, "text"), concepts, ids(n, "message_ids"),
                instant(n, "created_at")));
    }

    private void graphEdge(JsonNode n) {
        String a = text(n, "a");
        String b = text(n, "b");
        JsonNode strength = n.path("strength");
        if (!strength.canConvertToInt() || !strength.isIntegralNumber() || strength.asInt() < 1) {
            throw bad("field \"strength\" must be a positive integer");
        }
        graphEdges.add(new GraphEdge(line, a, b, strength.asInt(), instant(n, "created_at"), instant(n, "last_modified")));
    }

    /** Whether the file carries the graph's concepts and links (version 2), so it is restored as it was. */
    boolean exactGraph() {
        return !graphNodes.isEmpty() || !graphEdges.isEmpty();
    }

    private long positive(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.canConvertToExactIntegral() || v.asLong() < 1) throw bad("field \"" + field + "\" must be a positive integer");
        return v.asLong();
    }

    private String id(JsonNode n, String field, boolean required) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) {
            if (required) throw bad("field \"" + field + "\" is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_ID) {
            throw bad("field \"" + field + "\" must be a non-empty string of at most " + MAX_ID + " characters");
        }
        return v.asText();
    }

    private String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_TEXT) {
            throw bad("field \"" + field + "\" must be a non-empty string of at most " + MAX_TEXT + " characters");
        }
        return v.asText();
    }

    private Instant instant(JsonNode n, String field) {
        JsonNode v = n.path(field);
        try {
            if (v.isTextual()) return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw bad("field \"" + field + "\" must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
    }

    private List<Long> ids(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) return List.of();
        if (!v.isArray()) throw bad("field \"" + field + "\" must be an array of ids");
        List<Long> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (JsonNode e : v) {
            if (!e.canConvertToExactIntegral() || e.asLong() < 1) throw bad("field \"" + field + "\" must hold positive integers");
            if (seen.add(e.asLong())) out.add(e.asLong());
        }
        return out;
    }

    private List<String> strings(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) return List.of();
        if (!v.isArray()) throw bad("field \"" + field + "\" must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) throw bad("field \"" + field + "\" must hold non-empty strings");
            out.add(e.asText());
        }
        return out;
    }

    private MemoryImport.InvalidLineException bad(String detail) {
        return new MemoryImport.InvalidLineException(line, detail);
    }
}
