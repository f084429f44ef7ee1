package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.store.postgres.TestPostgres;

/**
 * The whole server over a real PostgreSQL database ({@code [storage] url}): intake (idempotent), the store
 * pipeline, recall, status, and a restart that finds everything again and rebuilds its index from the database.
 */
class PostgresServerTest {
    @TempDir
    Path dir;
    TestPostgres pg;

    @BeforeEach
    void database() {
        pg = TestPostgres.create();
    }

    @AfterEach
    void drop() {
        if (pg != null) pg.close();
    }

    private String storage() {
        return """
                url = "%s"
                user_env = "ENGRAM_TEST_PG_USER"
                password_env = "ENGRAM_TEST_PG_PASSWORD"
                pool_size = 8
                """.formatted(pg.url());
    }

    @Test
    void messages_memories_and_recall_live_in_postgres_and_survive_a_restart() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("a"), "", storage())) {
            assertThat(server.get("/api/status").json().path("config").path("storage").asText()).startsWith("postgresql:");
            String said = "{\"chat_id\":\"pg-1\",\"user_name\":\"小林\",\"message_id\":\"q-1\",\"message\":\"我对花生过敏\"}";
            assertThat(server.post("/api/message", said).json().path("duplicate").asBoolean()).isFalse();
            assertThat(server.post("/api/message", said).json().path("duplicate").asBoolean()).isTrue();
            server.post("/api/memory", "{\"chat_id\":\"pg-1\",\"content\":\"记忆：小林下周三去上海出差\"}");
            server.awaitIngestIdle();
            assertThat(texts(server, "pg-1", "花生")).anyMatch(t -> t.contains("花生过敏"));
            assertThat(server.messageCount()).isEqualTo(2); // the message once, and the reply
        }
        // another data directory: nothing local survives, the index is rebuilt from PostgreSQL
        try (TestServer again = TestServer.start(dir.resolve("b"), "", storage())) {
            assertThat(again.messageCount()).isEqualTo(2);
            again.awaitIngestIdle();
            assertThat(texts(again, "pg-1", "花生")).anyMatch(t -> t.contains("花生过敏"));
            assertThat(texts(again, "pg-1", "上海")).anyMatch(t -> t.contains("上海出差"));
            assertThat(texts(again, "pg-other", "花生")).isEmpty();
        }
    }

    private static java.util.List<String> texts(TestServer server, String chat, String q) throws Exception {
        JsonNode body = server.get("/api/memory/search?chat_id=" + chat + "&q="
                + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)).json();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode m : body.path("memories")) out.add(m.path("text").asText());
        return out;
    }
}
