package dev.engram.surface.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.text.Unicode;
import io.javalin.http.Context;

/**
 * Strict reading of JSON request bodies: the body is decoded as UTF-8 (invalid bytes are refused,
 * never replaced) and must be one JSON object. Fields are read with type checks so a wrong type
 * is a 400 that names the field. The Content-Type header is not required (the seed's
 * {@code curl -d} sends {@code application/x-www-form-urlencoded}).
 */
final class JsonBody {
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody read(Context ctx, ObjectMapper mapper, int maxBytes) {
        long declared = ctx.contentLength();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        byte[] bytes;
        try {
            bytes = ctx.bodyAsBytes();
        } catch (Exception e) { // (Javalin rethrows Jetty's IOExceptions unchecked) broken chunking, a stalled body
            throw unreadable(e);
        }
        if (bytes.length > maxBytes) throw tooLarge(maxBytes);
        if (bytes.length == 0) throw ApiException.badRequest("empty_body", "the request body is empty; send a JSON object");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_utf8", "the request body is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("malformed_json", "the request body must be a JSON object");
        }
        return new JsonBody(root);
    }

    /** A required string field with visible text (not only whitespace or invisible characters). */
    String requiredString(String field) {
        String v = optionalString(field, null);
        if (v == null) throw ApiException.badRequest("missing_field", "field \"" + field + "\" is required");
        if (!Unicode.hasVisibleText(v)) {
            throw ApiException.badRequest("empty_field", "field \"" + field + "\" must not be empty or invisible only");
        }
        return v;
    }

    /** An optional string field; {@code def} when absent or null. Lone surrogates are refused, never replaced. */
    String optionalString(String field, String def) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return def;
        if (!v.isTextual()) {
            throw ApiException.badRequest("wrong_type", "field \"" + field + "\" must be a string, got " + v.getNodeType()
                    .name().toLowerCase());
        }
        String text = v.textValue();
        if (!Unicode.wellFormed(text)) {
            throw ApiException.badRequest("invalid_unicode", "field \"" + field + "\" contains an unpaired surrogate"
                    + " (not valid Unicode)");
        }
        return text;
    }

    /** An optional boolean field; {@code null} when absent or null. */
    Boolean optionalBoolean(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) {
            throw ApiException.badRequest("wrong_type", "field \"" + field + "\" must be true or false, got " + v.getNodeType()
                    .name().toLowerCase());
        }
        return v.booleanValue();
    }

    /** An optional identifier: non-blank, at most {@code maxLength} characters, no control characters. */
    String optionalId(String field, String def, int maxLength) {
        String v = optionalString(field, null);
        if (v == null) return def;
        if (!Unicode.hasVisibleText(v)) {
            throw ApiException.badRequest("empty_field", "field \"" + field + "\" must not be empty or invisible only");
        }
        if (v.length() > maxLength) {
            throw ApiException.badRequest("invalid_field", "field \"" + field + "\" must be at most " + maxLength + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_field", "field \"" + field + "\" must not contain control characters");
        }
        return v;
    }

    private static ApiException unreadable(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException) {
                return new ApiException(408, "body_timeout", "the request body stopped arriving before it was complete");
            }
            if (c.getCause() == c) break;
        }
        return ApiException.badRequest("unreadable_body", "the request body could not be read: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "body_too_large", "the request body exceeds the limit of " + maxBytes + " bytes");
    }
}
