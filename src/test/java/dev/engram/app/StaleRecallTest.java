package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.task.MemoryTask;
import dev.engram.testing.MutableClock;

/**
 * Over real HTTP on port 0: once a change of a chat's memory is done (a new message stored, a message
 * deleted by retention in a forget), no recall answers from before it — neither a search nor a reply is
 * served from the recall cache, and both run through the engine (the cache's hit counter moves for the
 * search too). The fallback and prefetch entries of the same cache are dropped by the same invalidation
 * ({@code RecallCacheInvalidationTest} shows each kind of entry going stale).
 */
class StaleRecallTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode search(TestServer server, String chat, String query) throws Exception {
        TestServer.Response r = server.get("/api/memory/search?chat_id=" + chat + "&q=" + q(query));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode message(TestServer server, String chat, String text) throws Exception {
        TestServer.Response r = server.post("/api/message",
                "{\"message\": \"" + text + "\", \"chat_id\": \"" + chat + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static long cacheHits(TestServer server) throws Exception {
        return server.get("/api/status").json().path("tasks").path("cache").path("hits").asLong();
    }

    @Test
    void a_new_message_is_never_followed_by_a_recall_from_before_it() throws Exception {
        // no LLM prefetch: its landing is a change of the chat too, and would hide a store that did not invalidate
        try (TestServer server = TestServer.start(dir, "", "[recall]\nllm_mode = \"off\"\n")) {
            message(server, "n", "我的猫叫年糕，是一只橘猫");
            server.awaitIngestIdle();
            assertThat(search(server, "n", "我的猫叫什么").path("memories").toString()).contains("年糕");
            long hits = cacheHits(server);
            assertThat(search(server, "n", "我的猫叫什么").path("memories").toString()).contains("年糕");
            assertThat(cacheHits(server)).as("the search is answered by the engine's recall cache").isEqualTo(hits + 1);

            message(server, "n", "我的猫后来改名叫布丁了");
            server.awaitIngestIdle();

            assertThat(search(server, "n", "我的猫叫什么").path("memories").toString())
                    .as("the first search after the store already sees it").contains("布丁");
            assertThat(message(server, "n", "我的猫叫什么来着").path("memories").toString()).contains("布丁");
        }
    }

    @Test
    void a_message_deleted_by_a_forget_is_never_recalled_again() throws Exception {
        MutableClock clock = new MutableClock(T0);
        String config = """
                [memory]
                enable_llm_instant_memory = false
                [recall]
                llm_mode = "off"
                [embedding]
                message_retention_days = 1
                [tasks]
                cache_ttl_s = 86400
                """;
        try (TestServer server = TestServer.start(dir, "", config, clock)) {
            long first = message(server, "d", "我的护照号码是 E12345678").path("message_id").asLong();
            server.awaitIngestIdle();
            // close to the retention limit, a later message; then the first one is recalled and the answer cached
            clock.advance(Duration.ofDays(1).minusMinutes(1));
            assertThat(message(server, "d", "护照要记得带").path("memories").toString()).contains("[" + first + "]");
            server.awaitIngestIdle();
            assertThat(search(server, "d", "护照号码").path("memories").toString()).contains("[" + first + "]");
            long hits = cacheHits(server);
            assertThat(search(server, "d", "护照号码").path("memories").toString()).contains("[" + first + "]");
            assertThat(cacheHits(server)).as("cached (TTL one day)").isEqualTo(hits + 1);

            clock.advance(Duration.ofMinutes(2)); // the first message is past retention now; the cached answers are not
            String forget = server.engram.memory().engine().submit(new MemoryTask.Forget()).value();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    server.get("/api/tasks/" + forget).json().path("state").asText().equals("SUCCEEDED"));

            for (JsonNode m : search(server, "d", "护照号码").path("memories")) {
                assertThat(m.path("message_ids").toString()).as("search after forget").doesNotContain(Long.toString(first));
            }
            for (JsonNode m : message(server, "d", "我的护照号码是多少").path("memories")) {
                assertThat(m.path("message_ids").toString()).as("reply after forget").doesNotContain(Long.toString(first));
            }
        }
    }
}
