package dev.engram.surface.openai;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * JSON of the proxy: trees, so that whatever a client sends (fields Engram does not know included) goes
 * upstream unchanged; and the raw response writes of the {@code /v1} routes, which bypass Javalin's result
 * handling so that bytes reach the client when they are flushed. The mapper is configured once and
 * never changed (thread-safe).
 */
final class ProxyJson {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private ProxyJson() {
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** OpenAI's error body. */
    static ObjectNode error(String message, String type, String code) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (code == null) error.putNull("code");
        else error.put("code", code);
        return body;
    }

    /** Writes a whole response (status, content type, length, body) and flushes it to the client. */
    static void send(Context ctx, int status, String contentType, byte[] body) throws IOException {
        ctx.res().setStatus(status);
        ctx.res().setContentType(contentType);
        ctx.res().setContentLength(body.length);
        OutputStream out = ctx.res().getOutputStream();
        out.write(body);
        out.flush();
    }

    static void sendJson(Context ctx, int status, JsonNode body) throws IOException {
        send(ctx, status, "application/json", bytes(body));
    }

    static void sendError(Context ctx, ProxyException e) throws IOException {
        sendJson(ctx, e.status(), error(e.getMessage(), e.type(), e.code()));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
