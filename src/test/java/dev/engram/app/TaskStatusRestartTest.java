package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET /api/tasks/{id}} answers for a task acknowledged before a restart (issue 14). */
@Timeout(120)
class TaskStatusRestartTest {
    @TempDir
    Path dir;

    @Test
    void a_store_acknowledged_before_a_restart_is_found_after_it() throws Exception {
        String id;
        try (TestServer first = TestServer.start(dir)) {
            TestServer.Response accepted = first.post("/api/memory",
                    "{\"chat_id\": \"restart-c\", \"content\": \"记住：我的猫叫年糕\"}");
            assertThat(accepted.status()).isEqualTo(202);
            id = accepted.json().path("task_id").asText();
            first.awaitIngestIdle();
        }

        try (TestServer second = TestServer.start(dir)) {
            TestServer.Response r = second.get("/api/tasks/" + id);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode task = r.json();
            assertThat(task.path("task_id").asText()).isEqualTo(id);
            assertThat(task.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(task.path("attempts").asInt()).isEqualTo(1);
            assertThat(task.path("chat_id").asText()).isEqualTo("restart-c");
        }
    }
}
