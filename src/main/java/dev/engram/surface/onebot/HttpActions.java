package dev.engram.surface.onebot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Actions over the implementation's HTTP API ({@code communication/http.md}): {@code POST <base>/<action>} with
 * the parameters as JSON and {@code Authorization: Bearer <access_token>}. A status other than 200 (401, 403,
 * 404, …) fails the call; a 200 response is read like a WebSocket one. Thread-safe.
 */
final class HttpActions implements ActionChannel {
    private final HttpClient client;
    private final ObjectMapper json;
    private final String baseUrl;
    private final String accessToken;
    private final Duration timeout;

    HttpActions(HttpClient client, ObjectMapper json, String baseUrl, String accessToken, Duration timeout) {
        this.client = client;
        this.json = json;
        this.baseUrl = baseUrl;
        this.accessToken = accessToken;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<JsonNode> call(String action, ObjectNode params) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + action)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(params.toString(), StandardCharsets.UTF_8));
        if (!accessToken.isEmpty()) request.header("Authorization", "Bearer " + accessToken);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> {
                    if (r.statusCode() != 200) {
                        throw new ActionFailedException("HTTP " + r.statusCode() + " from " + action);
                    }
                    try {
                        return ActionChannel.dataOf(json.readTree(r.body()));
                    } catch (IOException e) {
                        throw new UncheckedIOException("response of " + action + " is not JSON", e);
                    }
                });
    }

    String baseUrl() {
        return baseUrl;
    }
}
