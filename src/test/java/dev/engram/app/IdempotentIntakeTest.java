package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

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

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Redelivered messages (same chat, same {@code message_id}) are stored, remembered and answered once, also when
 * the copies race; ids that are not valid Unicode are refused instead of being merged into one chat.
 */
class IdempotentIntakeTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_redelivered_message_is_stored_and_answered_once() throws Exception {
        String body = "{\"chat_id\":\"idem-1\",\"user_name\":\"小林\",\"message_id\":\"m-1\",\"message\":\"我养了一只叫豆豆的猫\"}";
        long before = server.messageCount();
        JsonNode first = server.post("/api/message", body).json();
        JsonNode second = server.post("/api/message", body).json();

        assertThat(first.path("duplicate").asBoolean()).isFalse();
        assertThat(first.path("reply").isTextual()).isTrue();
        assertThat(second.path("duplicate").asBoolean()).isTrue();
        assertThat(second.path("reply").isNull()).isTrue();
        assertThat(second.path("message_id").asLong()).isEqualTo(first.path("message_id").asLong());
        assertThat(server.messageCount()).isEqualTo(before + 2); // one message, one reply

        server.awaitIngestIdle();
        JsonNode found = server.get("/api/memory/search?chat_id=idem-1&q=%E8%B1%86%E8%B1%86").json();
        long copies = 0;
        for (JsonNode m : found.path("memories")) if (m.path("text").asText().contains("豆豆")) copies++;
        assertThat(copies).as("remembered once: %s", found).isBetween(1L, 2L); // the raw turn and at most its fact
    }

    @Test
    void the_same_message_id_in_another_chat_is_another_message() throws Exception {
        long before = server.messageCount();
        JsonNode a = server.post("/api/message", "{\"chat_id\":\"idem-a\",\"message_id\":\"7\",\"message\":\"甲\"}").json();
        JsonNode b = server.post("/api/message", "{\"chat_id\":\"idem-b\",\"message_id\":\"7\",\"message\":\"乙\"}").json();
        assertThat(a.path("duplicate").asBoolean()).isFalse();
        assertThat(b.path("duplicate").asBoolean()).isFalse();
        assertThat(server.messageCount()).isEqualTo(before + 4);
    }

    @Test
    void racing_copies_are_stored_once() throws Exception {
        long before = server.messageCount();
        int copies = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<JsonNode>> results = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return server.post("/api/message",
                        "{\"chat_id\":\"idem-race\",\"message_id\":\"r-1\",\"message\":\"明天下午三点开会\"}").json();
            }));
        }
        go.countDown();
        int answered = 0;
        for (Future<JsonNode> f : results) if (!f.get().path("duplicate").asBoolean()) answered++;
        pool.shutdown();
        assertThat(answered).isEqualTo(1);
        assertThat(server.messageCount()).isEqualTo(before + 2);
    }

    @Test
    void ids_with_lone_surrogates_are_refused_not_merged() throws Exception {
        for (String field : new String[] {"chat_id", "user_id", "user_name", "message_id"}) {
            TestServer.Response r = server.post("/api/message", "{\"" + field + "\":\"\\ud800a\",\"message\":\"秘密\"}");
            assertThat(r.status()).as(field).isEqualTo(400);
            assertThat(r.json().path("error").asText()).isEqualTo("invalid_unicode");
        }
        TestServer.Response text = server.post("/api/message", "{\"chat_id\":\"u1\",\"message\":\"a\\udc00\"}");
        assertThat(text.status()).isEqualTo(400);
    }

    @Test
    void invisible_only_text_is_refused_like_whitespace() throws Exception {
        for (String invisible : new String[] {"\\u200b", "\\u0000", "\\ufeff", "\\u2060\\u200b ", "\\u3000"}) {
            TestServer.Response r = server.post("/api/message", "{\"message\":\"" + invisible + "\"}");
            assertThat(r.status()).as(invisible).isEqualTo(400);
            assertThat(r.json().path("error").asText()).isEqualTo("empty_field");
        }
    }

    @Test
    void the_status_counts_requests_per_surface() throws Exception {
        server.post("/api/message", "{\"chat_id\":\"idem-s\",\"message\":\"你好\"}");
        JsonNode http = server.get("/api/status").json().path("surfaces").path("http");
        assertThat(http.path("requests").asLong()).isPositive();
        assertThat(http.path("p99_ms").isNumber()).isTrue();
        assertThat(server.get("/metrics").body()).contains("engram_surface_requests_seconds_count{")
                .contains("surface=\"http\"");
    }
}
