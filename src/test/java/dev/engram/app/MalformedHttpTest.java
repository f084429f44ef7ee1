package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;

/**
 * Requests the HTTP layer cannot parse get a 4xx at once (never a 500) over a raw socket, and a connection whose
 * request never completes is closed by the server instead of being held open.
 */
class MalformedHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "idle_timeout_ms = 1000", "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_malformed_chunked_body_is_a_400() throws IOException {
        String response = exchange("POST /api/message HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\nzz\r\n{\"message\":\"hi\"}\r\n0\r\n\r\n");
        assertThat(statusOf(response)).as(response).isBetween(400, 499);
    }

    @Test
    void a_truncated_chunked_body_is_a_4xx_not_a_hang() throws IOException {
        String response = exchange("POST /api/message HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n5\r\n{\"me");
        assertThat(response.isEmpty() || statusOf(response) / 100 == 4).as(response).isTrue();
    }

    @Test
    void a_body_shorter_than_its_content_length_is_closed_in_time() throws IOException {
        String response = exchange("POST /api/message HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"message\":");
        assertThat(response.isEmpty() || statusOf(response) / 100 == 4).as(response).isTrue();
    }

    @Test
    void an_empty_request_line_is_refused() throws IOException {
        String response = exchange("\r\n\r\n\r\n");
        assertThat(response.isEmpty() || statusOf(response) / 100 == 4).as(response).isTrue();
    }

    @Test
    void an_answer_that_takes_longer_than_the_idle_timeout_is_not_cut(@TempDir Path other) throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.instant().forModel("fake-reply", LatencySpec.fixed(Duration.ofMillis(1_500)));
        try (FakeLlmServer llm = FakeLlmServer.start(0, profile);
             TestServer slow = TestServer.start(other, "idle_timeout_ms = 300", """
                     [llm]
                     provider = "openai"
                     base_url = "%s"
                     [llm.models]
                     reply = "fake-reply"
                     """.formatted(llm.baseUrl()))) {
            TestServer.Response r = slow.post("/api/message", "{\"message\": \"你好\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("timings_ms").path("reply").asLong()).isGreaterThanOrEqualTo(1_400);
        }
    }

    /** Sends raw bytes, half-closes nothing, and reads until the server closes (at most 5 s). */
    private static String exchange(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.engram.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                    if (complete(got.toString(StandardCharsets.UTF_8))) break;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server held the connection open for 5 s; got: " + got, e);
            } catch (IOException reset) {
                // the server may reset a connection it refused: that is an answer too
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean complete(String response) {
        int headerEnd = response.indexOf("\r\n\r\n");
        if (headerEnd < 0) return false;
        int cl = response.toLowerCase().indexOf("content-length:");
        if (cl < 0 || cl > headerEnd) return false;
        int eol = response.indexOf("\r\n", cl);
        int length = Integer.parseInt(response.substring(cl + 15, eol).strip());
        return response.getBytes(StandardCharsets.UTF_8).length >= headerEnd + 4 + length;
    }

    private static int statusOf(String response) {
        assertThat(response).startsWith("HTTP/1.1 ");
        return Integer.parseInt(response.substring(9, 12));
    }
}
