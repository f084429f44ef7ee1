package dev.engram.surface.onebot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the JSON of one OneBot v11 event into a {@link OneBotEvent}. The message may be a segment array or
 * a CQ-code string ({@code message/array.md}, {@code message/string.md}); segment parameters that an
 * implementation sends as numbers are read as text. Stateless.
 */
final class EventDecoder {
    private EventDecoder() {
    }

    /**
     * @throws IllegalArgumentException when the JSON is not an event this spec defines well enough to use
     *                                  (no {@code post_type}, a message without ids or content, …)
     */
    static OneBotEvent decode(JsonNode e) {
        if (!e.isObject()) throw new IllegalArgumentException("an event must be a JSON object");
        String postType = text(e, "post_type");
        long selfId = id(e, "self_id");
        return switch (postType) {
            case "message" -> message(e, selfId);
            case "meta_event" -> new OneBotEvent.Meta(selfId, text(e, "meta_event_type"), e.path("sub_type").asText(""));
            default -> new OneBotEvent.Other(selfId, postType);
        };
    }

    private static OneBotEvent.Message message(JsonNode e, long selfId) {
        String type = text(e, "message_type");
        if (!type.equals("group") && !type.equals("private")) {
            throw new IllegalArgumentException("unknown message_type \"" + type + "\"");
        }
        boolean group = type.equals("group");
        long userId = id(e, "user_id");
        JsonNode idNode = e.path("message_id");
        if (!idNode.isIntegralNumber() && !(idNode.isTextual() && !idNode.asText().isBlank())) {
            throw new IllegalArgumentException("message without message_id");
        }
        JsonNode sender = e.path("sender");
        String name = sender.path("card").asText("");
        if (name.isBlank()) name = sender.path("nickname").asText("");
        if (name.isBlank()) name = Long.toString(userId);
        return new OneBotEvent.Message(selfId, group, group ? id(e, "group_id") : 0, userId, idNode.asText(),
                name.strip(), segments(e.path("message")));
    }

    /** The {@code message} field in either format. */
    static List<Segment> segments(JsonNode message) {
        if (message.isTextual()) return CqCode.parse(message.textValue());
        if (!message.isArray()) throw new IllegalArgumentException("message must be a segment array or a string");
        List<Segment> out = new ArrayList<>();
        for (JsonNode s : message) {
            String type = s.path("type").asText("");
            if (type.isEmpty()) throw new IllegalArgumentException("segment without type: " + s);
            Map<String, String> data = new LinkedHashMap<>();
            s.path("data").properties().forEach(f -> {
                JsonNode v = f.getValue();
                if (!v.isNull()) data.put(f.getKey(), v.isValueNode() ? v.asText() : v.toString());
            });
            out.add(new Segment(type, data));
        }
        return out;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("event without " + field);
        }
        return v.asText();
    }

    /** An int64 id sent as a number (or, by some implementations, a numeric string). */
    private static long id(JsonNode e, String field) {
        JsonNode v = e.get(field);
        if (v != null && v.isIntegralNumber()) return v.asLong();
        if (v != null && v.isTextual()) {
            try {
                return Long.parseLong(v.asText().strip());
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("event without a numeric " + field);
    }
}
