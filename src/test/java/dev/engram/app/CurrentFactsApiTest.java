package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** What is true now, over HTTP: a fact stored three times with new values is recalled with its current value. */
class CurrentFactsApiTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "", "[tasks]\ndrain_deadline_ms = 1000\n");
        for (int n = 1; n <= 3; n++) {
            assertThat(server.post("/api/memory",
                    "{\"chat_id\": \"truth\", \"content\": \"记忆：我最喜欢的数字是 " + n + "\"}").status()).isEqualTo(202);
            server.awaitIngestIdle();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> search(String query) throws Exception {
        JsonNode found = server.get("/api/memory/search?chat_id=truth&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)).json();
        List<String> texts = new ArrayList<>();
        found.path("memories").forEach(m -> texts.add(m.path("text").asText()));
        return texts;
    }

    @Test
    void the_newest_value_is_recalled_and_the_superseded_ones_are_not() throws Exception {
        List<String> texts = search("数字");

        assertThat(texts).isNotEmpty();
        assertThat(texts.getFirst()).contains("数字是 3");
        assertThat(texts).noneMatch(t -> t.contains("数字是 1") || t.contains("数字是 2"));
    }

    @Test
    void a_question_about_the_past_reaches_the_superseded_value_below_the_current_one() throws Exception {
        List<String> texts = search("我以前最喜欢的数字是多少");

        assertThat(texts).anyMatch(t -> t.contains("数字是 2"));
        assertThat(texts.getFirst()).contains("数字是 3");
    }

    @Test
    void the_superseded_facts_keep_their_text_with_a_link_to_their_successor() {
        var memories = server.engram.storage().memories().byChat("truth", java.time.Instant.EPOCH,
                java.time.Instant.now().plusSeconds(3600), 10);

        assertThat(memories).hasSize(3);
        assertThat(memories.getFirst().current()).isTrue();
        assertThat(memories.get(1).supersededBy()).isEqualTo(memories.getFirst().id());
        assertThat(memories.get(2).supersededBy()).isEqualTo(memories.get(1).id());
        assertThat(memories.get(1).validTo()).isEqualTo(memories.getFirst().createdAt());
    }
}
