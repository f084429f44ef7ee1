package dev.engram.surface.onebot;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where OneBot API calls go: a WebSocket that serves the API ({@link EchoCalls}) or HTTP ({@link HttpActions}). */
interface ActionChannel {
    /**
     * Calls one action ({@code api/public.md}).
     *
     * @return the response's {@code data}; fails with {@link ActionFailedException} when the implementation
     *         reports {@code failed}, with {@link java.util.concurrent.TimeoutException} past the action timeout,
     *         or with the transport's error
     */
    CompletableFuture<JsonNode> call(String action, ObjectNode params);

    /**
     * The {@code data} of a response ({@code communication/http.md}, "响应"): {@code ok} and {@code async} succeed,
     * anything else is an {@link ActionFailedException} carrying the {@code retcode}.
     */
    static JsonNode dataOf(JsonNode response) {
        String status = response.path("status").asText("");
        if (status.equals("ok") || status.equals("async")) return response.path("data");
        throw new ActionFailedException("action failed: status=" + (status.isEmpty() ? "<none>" : status)
                + " retcode=" + response.path("retcode").asText("?")
                + (response.hasNonNull("message") ? " message=" + response.get("message").asText() : ""));
    }

    /** The implementation answered an action with {@code status: failed} (or an unusable response). */
    final class ActionFailedException extends RuntimeException {
        ActionFailedException(String message) {
            super(message);
        }
    }
}
