package dev.engram.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Option;

/**
 * The HTTP side of {@code engram memories}: the options naming the running server ({@code --url}, {@code --token}
 * or {@code ENGRAM_API_TOKEN}) and the calls. An answer other than 2xx becomes a {@link Failure} carrying the
 * server's {@code detail}, which the command prints as one line (exit code 2).
 */
final class MemoriesClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the running Engram (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", description = "The server's api_token (default: $ENGRAM_API_TOKEN).")
    String token;

    /** A failed call: one line for the operator. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    static String encode(String pathPart) {
        return URLEncoder.encode(pathPart, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return json(send(request(path).GET()));
    }

    JsonNode patch(String path, JsonNode body) {
        return json(send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))));
    }

    JsonNode delete(String path) {
        return json(send(request(path).DELETE()));
    }

    /** Streams an export to {@code out}. */
    void download(String path, java.io.OutputStream out) {
        HttpResponse<InputStream> r = call(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() / 100 != 2) throw failure(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw new Failure("reading the export from " + url + " failed: " + e.getMessage());
        }
    }

    /** Posts a JSON Lines file to {@code POST /api/import}. */
    JsonNode upload(Path file) {
        try {
            return json(send(request("/api/import").header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofFile(file))));
        } catch (java.io.FileNotFoundException e) {
            throw new Failure("no such file: " + file);
        }
    }

    private HttpRequest.Builder request(String path) {
        URI uri;
        try {
            uri = URI.create(url.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new Failure("--url is not a URL: " + url);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        String t = token != null ? token : System.getenv("ENGRAM_API_TOKEN");
        if (t != null && !t.isBlank()) b.header("Authorization", "Bearer " + t);
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        HttpResponse<String> r = call(b, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() / 100 != 2) throw failure(r.statusCode(), r.body());
        return r;
    }

    private <T> HttpResponse<T> call(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return client.send(b.build(), handler);
        } catch (ConnectException e) {
            throw new Failure("cannot reach Engram at " + url + " (is `engram serve` running? --url)");
        } catch (IOException e) {
            throw new Failure("request to " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    private static Failure failure(int status, String body) {
        String detail = body;
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("detail")) detail = n.get("detail").asText();
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return new Failure("HTTP " + status + ": " + detail.strip());
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Failure("the server answered something other than JSON: " + e.getMessage());
        }
    }
}
