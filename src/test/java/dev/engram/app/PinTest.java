package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.memory.graph.GraphItem;
import dev.engram.task.MemoryTask;
import dev.engram.testing.MutableClock;

/**
 * {@code PATCH /api/memories/{id}} with {@code {"pinned": ...}} over real HTTP and storage: a pinned memory is shown
 * as pinned, keeps its pin through an edit, and is skipped by maintenance: index retention removes the unpinned one
 * of the same age and keeps the pinned one with its vector, and graph forgetting and consolidation leave its items
 * as they are. Pinning a memory retention already dropped puts it back into the index.
 */
class PinTest {
    @TempDir
    Path dir;

    @Test
    void a_pinned_memory_survives_retention_and_forgetting() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T08:00:00Z"));
        try (TestServer server = TestServer.start(dir, "", """
                [embedding]
                message_retention_days = 1
                memory_retention_days = 1
                """, clock)) {
            server.post("/api/memory", "{\"chat_id\":\"p\",\"content\":\"小林对花生过敏，吃了会住院\"}");
            server.post("/api/memory", "{\"chat_id\":\"p\",\"content\":\"小王每周六去爬山\"}");
            server.awaitIngestIdle();
            JsonNode list = server.get("/api/chats/p/memories").json().path("memories");
            assertThat(list).hasSize(2);
            JsonNode peanut = null;
            for (JsonNode m : list) if (m.path("text").asText().contains("花生")) peanut = m;
            assertThat(peanut.path("pinned").asBoolean()).isFalse();
            long id = peanut.path("id").asLong();

            JsonNode pinned = server.patch("/api/memories/" + id, "{\"pinned\":true}").json();
            assertThat(pinned.path("memory").path("pinned").asBoolean()).isTrue();
            assertThat(pinned.path("memory").path("text").asText()).contains("花生");
            assertThat(server.patch("/api/memories/" + id, "{\"pinned\":\"yes\"}").status()).isEqualTo(400);
            assertThat(server.patch("/api/memories/999999", "{\"pinned\":true}").status()).isEqualTo(404);
            // an edit keeps the pin on the new version
            long edited = server.patch("/api/memories/" + id, "{\"text\":\"小林对花生严重过敏，吃了会住院\"}").json()
                    .path("memory").path("id").asLong();
            assertThat(server.get("/api/memories/" + edited).json().path("memory").path("pinned").asBoolean()).isTrue();
            assertThat(indexedMemories(server)).isEqualTo(2);
            List<Long> pinnedItems = graphItemIds(server, "小林对花生严重过敏，吃了会住院");
            assertThat(pinnedItems).isNotEmpty();

            clock.advance(Duration.ofDays(3)); // both are past the one-day retention now
            server.engram.memory().engine().submit(new MemoryTask.Forget());
            server.awaitIngestIdle();
            server.engram.memory().engine().submit(new MemoryTask.Consolidate());
            server.awaitIngestIdle();

            assertThat(indexedMemories(server)).as("only the pinned memory stays indexed").isEqualTo(1);
            assertThat(graphItemIds(server, "小林对花生严重过敏，吃了会住院"))
                    .as("maintenance skipped the pinned items: the same rows, never removed and re-added")
                    .isEqualTo(pinnedItems);
            assertThat(memoryVectorRows()).as("the pinned memory keeps its stored vector").containsExactly(edited);
            JsonNode found = server.get("/api/memory/search?chat_id=p&q=%E8%8A%B1%E7%94%9F%E8%BF%87%E6%95%8F&k=5").json();
            assertThat(found.path("memories").findValuesAsText("text")).contains("小林对花生严重过敏，吃了会住院");

            JsonNode unpinned = server.patch("/api/memories/" + edited, "{\"pinned\":false}").json();
            assertThat(unpinned.path("memory").path("pinned").asBoolean()).isFalse();

            // pinning a memory that retention already dropped puts it back into the index
            long hiking = -1;
            for (JsonNode m : server.get("/api/chats/p/memories").json().path("memories")) {
                if (m.path("text").asText().contains("爬山")) hiking = m.path("id").asLong();
            }
            assertThat(server.patch("/api/memories/" + hiking, "{\"pinned\":true}").status()).isEqualTo(200);
            assertThat(indexedMemories(server)).isEqualTo(2);
            JsonNode back = server.get("/api/memory/search?chat_id=p&q=%E7%88%AC%E5%B1%B1&k=5").json();
            assertThat(back.path("memories").findValuesAsText("text")).contains("小王每周六去爬山");
        }
    }

    private static long indexedMemories(TestServer server) throws Exception {
        return server.get("/api/status").json().path("memory").path("indexed_memories").asLong();
    }

    private static List<Long> graphItemIds(TestServer server, String text) {
        return server.engram.memory().graph().snapshot().items("p").stream().filter(i -> i.text().equals(text))
                .map(GraphItem::id).sorted().toList();
    }

    /** Memory ids with a stored vector, read from the SQLite file beside the running server. */
    private List<Long> memoryVectorRows() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/engram.db"));
             var rows = c.createStatement().executeQuery("SELECT item_id FROM embeddings WHERE item_kind = 'memory'")) {
            while (rows.next()) ids.add(rows.getLong(1));
        }
        return ids;
    }
}
