package dev.engram.surface.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.chat.ChatRequest;

/**
 * One client's chat-completion request as the proxy reads it: the JSON tree (forwarded unchanged apart from
 * the memory message and the model), plus what Engram takes from it.
 *
 * <p>Naming: the chat is the {@code X-Engram-Chat} header, else the {@code user} field, else the configured
 * default chat. The speaker is {@code user} (id) and the {@code name} of the last user message (display
 * name). The external id that makes intake idempotent is the {@code X-Engram-Message-Id} header, else
 * {@code openai:} + the first 32 hex digits of SHA-256 over the chat id and the whole {@code messages} array,
 * so a client that retries the same request is stored once.
 *
 * @param body        the request as sent
 * @param chatId      the Engram chat
 * @param userId      the {@code user} field, or null
 * @param userName    the {@code name} of the last user message, or null
 * @param userText    text of the last user message (its text parts joined), or "" when there is none
 * @param externalId  the idempotency key of the user turn
 * @param model       the model to ask (the configured override or the client's)
 * @param stream      whether the client asked for server-sent events
 */
record ProxyRequest(ObjectNode body, String chatId, String userId, String userName, String userText,
                    String externalId, String model, boolean stream) {
    static final String CHAT_HEADER = "X-Engram-Chat";
    static final String MESSAGE_ID_HEADER = "X-Engram-Message-Id";
    static final int MAX_ID_LENGTH = 128;

    /**
     * @throws ProxyException 400 when the body is not a chat-completion request
     */
    static ProxyRequest parse(byte[] bytes, String chatHeader, String messageIdHeader, String defaultChat,
                              Optional<String> modelOverride) {
        if (bytes.length == 0) throw ProxyException.badRequest("empty_body", "the request body is empty; send a JSON object");
        JsonNode root;
        try {
            root = ProxyJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ProxyException.badRequest("invalid_json", "the request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ProxyException.badRequest("invalid_json", "the request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ProxyException.badRequest("invalid_messages", "\"messages\" must be a non-empty array");
        }
        for (JsonNode m : messages) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ProxyException.badRequest("invalid_messages", "every message must be an object with a string \"role\"");
            }
        }
        String model = modelOverride.orElseGet(() -> optionalString(body, "model"));
        if (model == null || model.isBlank()) throw ProxyException.badRequest("missing_model", "\"model\" is required");
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ProxyException.badRequest("invalid_stream", "\"stream\" must be true or false");
        }
        String user = optionalString(body, "user");
        if (user != null && user.isBlank()) user = null;
        String chatId = chatHeader != null ? id(chatHeader, CHAT_HEADER) : user != null ? id(user, "user") : defaultChat;

        JsonNode last = lastUser((ArrayNode) messages);
        String text = last == null ? "" : text(last.get("content"));
        String name = last == null || !last.path("name").isTextual() || last.path("name").asText().isBlank()
                ? null : last.path("name").asText();
        String externalId = messageIdHeader != null ? id(messageIdHeader, MESSAGE_ID_HEADER)
                : "openai:" + digest(chatId, ProxyJson.bytes(messages));
        return new ProxyRequest(body, chatId, user, name, text, externalId, model,
                stream != null && stream.asBoolean(false));
    }

    /** Whether there is a user turn for Engram to store and recall for. */
    boolean hasUserTurn() {
        return !userText.isBlank();
    }

    ChatRequest chatRequest() {
        return new ChatRequest(chatId, userId, userName, userText, externalId);
    }

    /**
     * The body to send upstream: the client's, with {@code model} set and, when {@code memoryBlock} is not
     * blank, a system message holding it inserted after the client's leading system (and developer) messages.
     */
    ObjectNode forwarded(String memoryBlock) {
        ObjectNode copy = body.deepCopy();
        copy.put("model", model);
        if (memoryBlock != null && !memoryBlock.isBlank()) {
            ArrayNode messages = (ArrayNode) copy.get("messages");
            int at = 0;
            while (at < messages.size() && isInstruction(messages.get(at).path("role").asText())) at++;
            ObjectNode memory = ProxyJson.MAPPER.createObjectNode();
            memory.put("role", "system");
            memory.put("content", memoryBlock);
            messages.insert(at, memory);
        }
        return copy;
    }

    private static boolean isInstruction(String role) {
        return role.equals("system") || role.equals("developer");
    }

    private static JsonNode lastUser(ArrayNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) return messages.get(i);
        }
        return null;
    }

    /** Content as a string, or the text parts of a content array joined by new lines. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) throw ProxyException.badRequest("invalid_messages", "\"content\" must be a string or an array of parts");
        StringBuilder b = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                if (!b.isEmpty()) b.append('\n');
                b.append(part.path("text").asText());
            }
        }
        return b.toString();
    }

    private static String optionalString(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ProxyException.badRequest("invalid_" + field, "\"" + field + "\" must be a string");
        return v.asText();
    }

    private static String id(String value, String what) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > MAX_ID_LENGTH || v.chars().anyMatch(Character::isISOControl)) {
            throw ProxyException.badRequest("invalid_id", what + " must be 1.." + MAX_ID_LENGTH
                    + " characters without control characters");
        }
        return v;
    }

    private static String digest(String chatId, byte[] messages) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(chatId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(messages);
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
