package dev.engram.surface.onebot;

import java.util.Map;
import java.util.Objects;

/**
 * One OneBot v11 message segment ({@code {"type": "at", "data": {"qq": "10001000"}}}), the same whether it
 * arrived in the array format or as a CQ code. Parameter values are kept as text, as the spec defines them.
 *
 * @param type the segment type ({@code text}, {@code at}, {@code reply}, {@code image}, …)
 * @param data its parameters; never null
 */
record Segment(String type, Map<String, String> data) {
    Segment {
        Objects.requireNonNull(type, "type");
        data = Map.copyOf(data);
    }

    static Segment text(String text) {
        return new Segment("text", Map.of("text", text));
    }

    /** The parameter, or an empty string when it is absent. */
    String get(String key) {
        return data.getOrDefault(key, "");
    }
}
