package dev.engram.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.config.EngramConfig;
import dev.engram.memory.vector.Embedder;

/** A real Engram on port 0 over a temporary data directory, plus a small HTTP client for it. */
public final class TestServer implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    public final Engram engram;
    public final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Engram engram) {
        this.engram = engram;
    }

    public static TestServer start(Path dir) {
        return start(dir, "", "");
    }

    /**
     * Starts Engram on port 0 with its data in {@code dir}.
     *
     * @param serverKeys    extra lines for the [server] table
     * @param otherSections further TOML tables
     */
    public static TestServer start(Path dir, String serverKeys, String otherSections) {
        return start(dir, serverKeys, otherSections, Clock.systemDefaultZone());
    }

    /** {@link #start(Path)} with every use of the embedding model going through {@code embedderView}. */
    public static TestServer start(Path dir, UnaryOperator<Embedder> embedderView) {
        return new TestServer(Engram.start(config(dir, "", ""), Clock.systemDefaultZone(), embedderView));
    }

    /** {@link #start(Path, String, String)} with every use of the embedding model going through {@code embedderView}. */
    public static TestServer start(Path dir, String serverKeys, String otherSections, UnaryOperator<Embedder> embedderView) {
        return new TestServer(Engram.start(config(dir, serverKeys, otherSections), Clock.systemDefaultZone(), embedderView));
    }

    /**
     * {@link #start(Path, UnaryOperator)} as {@code engram serve} starts: returns once the port is open, while the
     * memory side still loads in the background.
     */
    public static TestServer launch(Path dir, UnaryOperator<Embedder> embedderView) {
        return new TestServer(Engram.launch(config(dir, "", ""), Clock.systemDefaultZone(), embedderView));
    }

    /** {@link #start(Path, String, String)} on the given clock. */
    public static TestServer start(Path dir, String serverKeys, String otherSections, Clock clock) {
        return new TestServer(Engram.start(config(dir, serverKeys, otherSections), clock));
    }

    private static EngramConfig config(Path dir, String serverKeys, String otherSections) {
        String toml = """
                [server]
                port = 0
                %s
                [storage]
                data_dir = "%s"
                %s
                """.formatted(serverKeys, dir.resolve("data").toString().replace("\\", "/"), otherSections);
        return EngramConfig.parse(toml, dir.resolve("config.toml"));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + engram.port() + path);
    }

    public Response post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    public Response post(String path, String body, String... headers) throws IOException, InterruptedException {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public Response get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    public Response patch(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    public Response delete(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).DELETE();
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
    }

    public long messageCount() {
        return engram.storage().messages().count();
    }

    @Override
    public void close() {
        engram.close();
        client.close();
    }

    public record Response(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * Waits until the task engine is idle (every store and the prefetch that follows it done; failed and
     * dead-lettered tasks do not count, see {@link dev.engram.task.TaskEngine#isIdle()}).
     */
    public void awaitIngestIdle() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> engram.memory().engine().isIdle());
    }
}
