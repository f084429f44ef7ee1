package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Memory end to end over HTTP: a stored message is recalled on a later turn, per chat, through the engine. */
class MemoryApiTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "", "[tasks]\ndrain_deadline_ms = 1000\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void a_message_is_recalled_on_a_later_turn_and_never_in_another_chat() throws Exception {
        assertThat(server.post("/api/message",
                "{\"message\": \"记住：我对花生过敏，吃了会起疹子\", \"chat_id\": \"mem-a\"}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode found = server.get("/api/memory/search?chat_id=mem-a&q=" + q("花生过敏")).json();
            assertThat(found.path("memories").toString()).contains("花生");
        });

        JsonNode reply = server.post("/api/message", "{\"message\": \"我对什么过敏来着？花生吗\", \"chat_id\": \"mem-a\"}").json();
        assertThat(reply.path("memory_status").asText()).isIn("ok", "partial");
        assertThat(reply.path("memories").toString()).contains("花生");
        JsonNode first = reply.path("memories").get(0);
        assertThat(first.path("source").asText()).isNotBlank();
        assertThat(first.path("message_ids").isArray()).isTrue();
        // the current turn is never recalled as its own memory
        for (JsonNode m : reply.path("memories")) {
            assertThat(m.path("message_ids").toString()).doesNotContain(Long.toString(reply.path("message_id").asLong()));
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode graph = server.get("/api/graph?chat_id=mem-a&q=" + q("花生过敏")).json();
            assertThat(graph.path("nodes").size()).isPositive();
            assertThat(graph.path("items").toString()).contains("花生");
        });
        assertThat(server.get("/api/graph?chat_id=mem-b&q=" + q("花生过敏")).json().path("items").toString())
                .doesNotContain("起疹子");

        JsonNode other = server.post("/api/message", "{\"message\": \"我对花生过敏吗？\", \"chat_id\": \"mem-b\"}").json();
        assertThat(other.path("memories").toString()).doesNotContain("起疹子");
        JsonNode otherSearch = server.get("/api/memory/search?chat_id=mem-b&q=" + q("花生 过敏 疹子")).json();
        assertThat(otherSearch.path("memories").toString()).doesNotContain("起疹子");
    }

    @Test
    void stored_content_becomes_a_task_that_succeeds() throws Exception {
        TestServer.Response accepted = server.post("/api/memory", "{\"chat_id\": \"mem-c\", \"content\": \"Remember: my dog is called Biscuit\"}");
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().path("task_id").asText();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode task = server.get("/api/tasks/" + id).json();
            assertThat(task.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(task.path("type").asText()).isEqualTo("store");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(server.get("/api/memory/search?chat_id=mem-c&q=" + q("what is my dog called")).body())
                        .contains("Biscuit"));
    }

    @Test
    void build_is_accepted_at_once() throws Exception {
        TestServer.Response r = server.post("/api/memory/build", new byte[0]);
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("task_id").asText()).startsWith("build");
    }

    @Test
    void bad_memory_requests_are_4xx() throws Exception {
        assertThat(server.post("/api/memory", "{\"content\": \"x\"}").status()).isEqualTo(400);
        assertThat(server.post("/api/memory", "{\"chat_id\": \"c\"}").status()).isEqualTo(400);
        assertThat(server.get("/api/memory/search?chat_id=c").json().path("error").asText()).isEqualTo("missing_parameter");
        assertThat(server.get("/api/graph").json().path("error").asText()).isEqualTo("missing_parameter");
        assertThat(server.get("/api/memory/search?chat_id=c&q=x&k=0").json().path("error").asText())
                .isEqualTo("invalid_parameter");
        assertThat(server.get("/api/memory/search?chat_id=c&q=x&timeout_ms=abc").status()).isEqualTo(400);
        assertThat(server.get("/api/tasks/bad%20id!").status()).isEqualTo(400);
        assertThat(server.get("/api/tasks/store-0190a6b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b").status()).isEqualTo(404);
    }

    @Test
    void status_shows_tasks_and_memory() throws Exception {
        server.post("/api/message", "{\"message\": \"status check\", \"chat_id\": \"mem-s\"}");
        JsonNode status = server.get("/api/status").json();
        JsonNode tasks = status.path("tasks");
        assertThat(tasks.path("interactive").path("capacity").asInt()).isPositive();
        assertThat(tasks.path("totals").path("submitted").asLong()).isPositive();
        assertThat(tasks.path("cache").has("hit_rate")).isTrue();
        assertThat(status.path("memory").path("sources").toString()).contains("lexical", "vector", "instant");
        assertThat(status.path("graph").has("nodes")).isTrue();
        assertThat(status.path("recall_latency_ms").path("count").asLong()).isPositive();
        assertThat(status.path("llm_prefetch").path("runs").asLong()).as("a prefetch follows each store").isNotNegative();
        assertThat(status.path("llm_prefetch").has("failures")).isTrue();
        assertThat(server.get("/metrics").body()).contains("engram_recall_seconds");
    }
}
