package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.store.OutboxRecord;
import dev.engram.store.Storage;
import dev.engram.store.sqlite.SqliteStorage;

/**
 * Dead letters over HTTP: listed by {@code GET /api/tasks?state=dead} in the shape of
 * {@code GET /api/tasks/{id}} (and of {@code dead_letters} in {@code /api/status}), retried, purged; the
 * status counts them apart from live work.
 */
@Timeout(120)
class DeadLetterApiTest {
    @TempDir
    Path dir;

    /** Rows out of attempts, as an earlier run leaves them: the next start makes them dead letters. */
    private List<String> writeExhaustedStores(int n) {
        List<String> ids = new ArrayList<>();
        try (Storage storage = SqliteStorage.open(dir.resolve("data"), 5_000)) {
            for (int i = 0; i < n; i++) {
                String id = "store-" + new UUID((Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + i) << 16 | 0x7000L,
                        0x8000_0000_0000_0000L | i);
                storage.outbox().add(new OutboxRecord(id, "store", "dl-chat",
                        "{\"content\":\"记住：我的车是蓝色的 " + i + "\",\"message_ids\":[]}",
                        Instant.parse("2026-01-01T00:00:00Z"), DefaultSettings.tasks().store().maxAttempts()));
                ids.add(id);
            }
        }
        return ids;
    }

    private static TestServer.Response send(TestServer s, String method, String path) throws Exception {
        HttpResponse<String> r = s.client.send(HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return new TestServer.Response(r.statusCode(), r.body(), "");
    }

    @Test
    void dead_letters_are_listed_retried_and_purged() throws Exception {
        TestServer.start(dir).close(); // creates and migrates the database
        List<String> ids = writeExhaustedStores(4);
        try (TestServer s = TestServer.start(dir)) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    s.get("/api/status").json().path("tasks").path("totals").path("dead_letters_count").asLong() == 4);
            JsonNode status = s.get("/api/status").json().path("tasks");
            assertThat(status.path("totals").path("in_outbox").asLong()).as("dead letters are not live work").isZero();
            s.awaitIngestIdle();

            JsonNode list = s.get("/api/tasks?state=dead").json();
            assertThat(list.path("count").asLong()).isEqualTo(4);
            assertThat(list.path("tasks")).hasSize(4);
            JsonNode first = list.path("tasks").get(0);
            assertThat(first.path("task_id").asText()).as("newest first").isEqualTo(ids.get(3));
            assertThat(first.path("state").asText()).isEqualTo("DEAD");
            assertThat(first.path("type").asText()).isEqualTo("store");
            assertThat(s.get("/api/tasks/" + ids.get(3)).json()).as("the shape of GET /api/tasks/{id}").isEqualTo(first);
            assertThat(status.path("dead_letters").get(0)).as("the shape of /api/status").isEqualTo(first);
            assertThat(s.get("/api/tasks?state=dead&limit=1").json().path("tasks")).hasSize(1);
            assertThat(s.get("/api/tasks?state=live").status()).isEqualTo(400);
            assertThat(s.get("/api/tasks").status()).isEqualTo(400);

            // retry one: it runs again with fresh attempts and succeeds
            TestServer.Response retried = s.post("/api/tasks/" + ids.get(0) + "/retry", "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    s.get("/api/tasks/" + ids.get(0)).json().path("state").asText().equals("SUCCEEDED"));
            assertThat(s.get("/api/tasks/" + ids.get(0)).json().path("attempts").asInt()).isEqualTo(1);
            assertThat(s.post("/api/tasks/" + ids.get(0) + "/retry", "").status()).as("not dead").isEqualTo(409);
            assertThat(send(s, "DELETE", "/api/tasks/" + ids.get(0)).status()).as("not dead").isEqualTo(409);
            String unknown = "store-0190a6b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
            assertThat(s.post("/api/tasks/" + unknown + "/retry", "").status()).isEqualTo(404);
            assertThat(send(s, "DELETE", "/api/tasks/" + unknown).status()).isEqualTo(404);
            assertThat(s.post("/api/tasks/bad%20id!/retry", "").status()).isEqualTo(400);

            // purge one: gone
            TestServer.Response purged = send(s, "DELETE", "/api/tasks/" + ids.get(1));
            assertThat(purged.status()).as(purged.body()).isEqualTo(200);
            assertThat(s.get("/api/tasks/" + ids.get(1)).status()).isEqualTo(404);

            // the rest at once
            assertThat(s.post("/api/tasks/retry?state=dead", "").json().path("requeued").asInt()).isEqualTo(2);
            s.awaitIngestIdle();
            assertThat(s.get("/api/tasks/" + ids.get(2)).json().path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(send(s, "DELETE", "/api/tasks?state=dead").json().path("purged").asInt()).isZero();
            assertThat(s.get("/api/status").json().path("tasks").path("totals").path("dead_letters_count").asLong())
                    .isZero();
        }
    }
}
