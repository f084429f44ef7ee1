package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "api_token = \"correct-horse\"", "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void missing_token_is_401_and_nothing_is_stored() throws Exception {
        long before = server.messageCount();
        TestServer.Response r = server.post("/api/message", "{\"message\": \"hi\"}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(server.messageCount()).isEqualTo(before);
    }

    @Test
    void wrong_token_is_401() throws Exception {
        TestServer.Response r = server.post("/api/message", "{\"message\": \"hi\"}", "Authorization", "Bearer nope");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("detail").asText()).contains("wrong");
    }

    @Test
    void right_token_is_accepted_and_health_stays_open() throws Exception {
        assertThat(server.post("/api/message", "{\"message\": \"hi\"}", "Authorization", "Bearer correct-horse").status())
                .isEqualTo(200);
        assertThat(server.get("/api/status", "Authorization", "Bearer correct-horse").status()).isEqualTo(200);
        assertThat(server.get("/health").status()).isEqualTo(200);
    }
}
