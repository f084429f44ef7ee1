package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The HTTP API end to end: a real server on port 0, real SQLite, the offline LLM. */
class MessageApiTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "max_body_bytes = 2048", "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void seed_curl_without_content_type_gets_a_json_reply() throws Exception {
        long before = server.messageCount();
        // exactly what `curl -X POST http://localhost:8080/api/message -d '{"message": ...}'` sends
        TestServer.Response r = server.post("/api/message", "{\"message\": \"你还记得我们昨天聊的内容吗？\"}",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("reply").asText()).contains("你还记得我们昨天聊的内容吗？");
        assertThat(body.path("chat_id").asText()).isEqualTo("default");
        assertThat(body.path("memories").isArray()).isTrue();
        assertThat(body.path("memory_status").asText()).isIn("ok", "partial", "timeout", "skipped", "disabled");
        assertThat(body.path("timings_ms").path("total").isNumber()).isTrue();
        assertThat(body.path("timings_ms").has("memory")).isTrue();
        assertThat(body.path("timings_ms").has("reply")).isTrue();
        assertThat(server.messageCount()).isEqualTo(before + 2); // the message and the reply
    }

    @Test
    void chat_and_user_fields_are_used() throws Exception {
        TestServer.Response r = server.post("/api/message",
                "{\"message\":\"hello there\",\"chat_id\":\"qq-123\",\"user_id\":\"u9\",\"user_name\":\"Nadia\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("chat_id").asText()).isEqualTo("qq-123");
        var stored = server.engram.storage().messages().recent("qq-123", 2);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).userName()).isEqualTo("Nadia");
        assertThat(stored.get(0).userId()).isEqualTo("u9");
        assertThat(stored.get(1).text()).isEqualTo(r.json().path("reply").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed json        | {"message": "hi"           | 400 | malformed_json
            not an object         | ["message"]                | 400 | malformed_json
            missing message       | {"chat_id": "c1"}          | 400 | missing_field
            null message          | {"message": null}          | 400 | missing_field
            empty message         | {"message": ""}            | 400 | empty_field
            blank message         | {"message": "   "}         | 400 | empty_field
            message is a number   | {"message": 5}             | 400 | wrong_type
            message is an object  | {"message": {"a": 1}}      | 400 | wrong_type
            chat_id is a number   | {"message": "hi", "chat_id": 7} | 400 | wrong_type
            chat_id is empty      | {"message": "hi", "chat_id": ""} | 400 | empty_field
            user_name is a list   | {"message": "hi", "user_name": []} | 400 | wrong_type
            """)
    void bad_input_gets_a_4xx_json_error_and_stores_nothing(String name, String body, int status, String code)
            throws Exception {
        long before = server.messageCount();
        TestServer.Response r = server.post("/api/message", body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").asText()).isEqualTo(code);
        assertThat(r.json().path("detail").asText()).isNotBlank();
        assertThat(server.messageCount()).isEqualTo(before);
    }

    @Test
    void empty_body_is_refused() throws Exception {
        TestServer.Response r = server.post("/api/message", new byte[0]);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("empty_body");
    }

    @Test
    void invalid_utf8_is_refused() throws Exception {
        long before = server.messageCount();
        byte[] body = "{\"message\": \"caf\u00e9 X\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 4] = (byte) 0xff; // the X becomes a byte that never occurs in UTF-8
        TestServer.Response r = server.post("/api/message", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("invalid_utf8");
        assertThat(server.messageCount()).isEqualTo(before);
    }

    @Test
    void body_over_the_limit_is_refused_with_413() throws Exception {
        long before = server.messageCount();
        String big = "{\"message\": \"" + "长".repeat(1_000) + "\"}"; // 3,000+ bytes > 2,048
        TestServer.Response r = server.post("/api/message", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("error").asText()).isEqualTo("body_too_large");
        assertThat(server.messageCount()).isEqualTo(before);
    }

    @Test
    void unknown_route_is_a_json_404() throws Exception {
        TestServer.Response r = server.get("/api/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void ten_concurrent_messages_are_all_answered() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TestServer.Response>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                String body = "{\"message\": \"测试消息 " + i + "\", \"chat_id\": \"concurrent-" + (i % 3) + "\"}";
                futures.add(pool.submit(() -> {
                    go.await();
                    return server.post("/api/message", body);
                }));
            }
            go.countDown();
            for (int i = 0; i < futures.size(); i++) {
                TestServer.Response r = futures.get(i).get();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().path("reply").asText()).contains("测试消息 " + i);
            }
        }
    }

    @Test
    void health_status_and_metrics_answer() throws Exception {
        server.post("/api/message", "{\"message\": \"ping\"}");

        assertThat(server.get("/health").json().path("status").asText()).isEqualTo("ok");

        JsonNode status = server.get("/api/status").json();
        assertThat(status.path("uptime_s").isNumber()).isTrue();
        assertThat(status.path("counts").path("messages").asLong()).isPositive();
        assertThat(status.path("config").path("llm_provider").asText()).isEqualTo("offline");
        JsonNode jvm = status.path("jvm");
        assertThat(jvm.path("heap_after_gc_bytes").asLong(-1)).isNotNegative();
        assertThat(jvm.path("heap_used_bytes").asLong()).isPositive();
        assertThat(jvm.path("threads").asInt()).isPositive();
        assertThat(jvm.path("open_fds").asLong()).isPositive();

        TestServer.Response metrics = server.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("http_server_requests_seconds_count{").contains("uri=\"/api/message\"")
                .contains("http_server_requests_seconds_bucket");
    }
}
