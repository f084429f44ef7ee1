package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The chaos run's HTTP/1.1 client (java.net.http on virtual threads) and the encodings it needs for odd
 * input: JSON strings written with every non-ASCII character escaped (so a lone surrogate goes out as
 * {@code \ud800}, exactly as a buggy client would send it) and query values percent-encoded byte for byte.
 * Thread-safe.
 */
public final class ChaosHttp implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and body text. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).executor(executor).build();

    public ChaosHttp() {
    }

    HttpClient client() {
        return client;
    }

    public Response get(URI uri, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
    }

    public Response post(URI uri, String json, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /**
     * Sends once more when a pooled connection turned out closed before any byte of an answer came back: the
     * server closes idle keep-alive connections after its idle timeout, and a request written into such a
     * connection was never read, so sending it again cannot apply it twice.
     */
    Response send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return sendOnce(request);
        } catch (IOException e) {
            if (!closedBeforeAnswer(e)) throw e;
            return sendOnce(request);
        }
    }

    private Response sendOnce(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body());
    }

    private static boolean closedBeforeAnswer(IOException e) {
        return e instanceof java.io.EOFException || (e.getMessage() != null && e.getMessage().contains("received no bytes"));
    }

    /** @return {@code s} as a JSON string literal, every char outside printable ASCII as a {@code \\uXXXX} escape */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /**
     * Percent-encodes a query value: every char outside unreserved ASCII as its UTF-8 bytes, a lone surrogate
     * as the three bytes it would have in CESU-8 (invalid UTF-8: the server must refuse it, never guess).
     */
    static String queryValue(String s) {
        StringBuilder b = new StringBuilder(s.length() * 3);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp < 0x80 && (Character.isLetterOrDigit(cp) || "-._~".indexOf(cp) >= 0)) {
                b.append((char) cp);
            } else {
                byte[] bytes = cp <= 0xFFFF && Character.isSurrogate((char) cp) ? cesu(cp) : new String(Character.toChars(cp))
                        .getBytes(StandardCharsets.UTF_8);
                for (byte x : bytes) b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(x));
            }
            i += n;
        }
        return b.toString();
    }

    private static byte[] cesu(int c) {
        return new byte[] {(byte) (0xE0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)), (byte) (0x80 | (c & 0x3F))};
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
