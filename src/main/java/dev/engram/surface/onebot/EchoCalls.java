package dev.engram.surface.onebot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Actions over one WebSocket connection ({@code communication/ws.md}, "/api 接口"): each call is sent as
 * {@code {"action", "params", "echo"}} with a fresh echo, and the response that carries the same echo completes
 * it. A call fails when no response comes within the timeout or when the connection closes. Thread-safe.
 */
final class EchoCalls implements ActionChannel {
    private final Consumer<String> send;
    private final ObjectMapper json;
    private final Duration timeout;
    private final String prefix;
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /**
     * @param send   writes one text frame to the connection (may throw when it is closed)
     * @param prefix makes echoes unique across connections, for logs
     */
    EchoCalls(Consumer<String> send, ObjectMapper json, Duration timeout, String prefix) {
        this.send = send;
        this.json = json;
        this.timeout = timeout;
        this.prefix = prefix;
    }

    @Override
    public CompletableFuture<JsonNode> call(String action, ObjectNode params) {
        String echo = prefix + "-" + seq.incrementAndGet();
        CompletableFuture<JsonNode> response = new CompletableFuture<>();
        pending.put(echo, response);
        CompletableFuture<JsonNode> result = response.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(ActionChannel::dataOf)
                .whenComplete((r, e) -> pending.remove(echo));
        ObjectNode frame = json.createObjectNode().put("action", action).put("echo", echo);
        frame.set("params", params);
        try {
            send.accept(frame.toString());
        } catch (RuntimeException e) {
            response.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Completes the call the response answers.
     *
     * @return false when its echo matches no call in flight (a late answer after a timeout, or a stranger's)
     */
    boolean onResponse(JsonNode response) {
        CompletableFuture<JsonNode> call = pending.get(response.path("echo").asText(""));
        return call != null && call.complete(response);
    }

    /** Fails every call in flight: the connection is gone. */
    void closeAll(String why) {
        pending.values().forEach(c -> c.completeExceptionally(new java.io.IOException(why)));
    }

    int inFlight() {
        return pending.size();
    }
}
