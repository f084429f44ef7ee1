package dev.engram.bench.fakellm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.llm.openai.internal.Json;

/** The server-sent events of a streamed chat completion ({@code chat.completion.chunk}), as OpenAI sends them. */
final class FakeStreamEvents {
    private FakeStreamEvents() {
    }

    /** @return {@code text} cut into at most {@code chunks} non-empty pieces of about equal length (by code point) */
    static List<String> split(String text, int chunks) {
        int[] cps = text.codePoints().toArray();
        int n = Math.max(1, Math.min(chunks, cps.length));
        List<String> pieces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int from = cps.length * i / n;
            int to = cps.length * (i + 1) / n;
            pieces.add(new String(cps, from, to - from));
        }
        return pieces;
    }

    /** A content event; the first one also carries {@code role: assistant}. */
    static ObjectNode content(String id, String model, boolean first, String text) {
        ObjectNode chunk = chunk(id, model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) {
            delta.put("role", "assistant");
        }
        delta.put("content", text);
        choice.putNull("finish_reason");
        return chunk;
    }

    /** The last event before {@code [DONE]}: an empty delta with {@code finish_reason: stop}. */
    static ObjectNode finish(String id, String model) {
        ObjectNode chunk = chunk(id, model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", "stop");
        return chunk;
    }

    /** Writes {@code data: <json>\n\n} and flushes it to the client. */
    static void write(OutputStream out, ObjectNode event) throws IOException {
        try {
            out.write(("data: " + Json.MAPPER.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a stream event", e);
        }
        out.flush();
    }

    /** Writes the terminating {@code data: [DONE]} event. */
    static void writeDone(OutputStream out) throws IOException {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode chunk(String id, String model) {
        ObjectNode chunk = Json.MAPPER.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", Instant.now().getEpochSecond());
        chunk.put("model", model);
        return chunk;
    }
}
