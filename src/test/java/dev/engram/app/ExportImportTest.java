package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.eval.LocomoLoader;
import dev.engram.eval.LocomoSample;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;

/**
 * Export → import over real HTTP between two Engrams on real SQLite files and Lucene indexes: the first
 * conversation of the shipped dev set (its first sessions, about 100 turns, and all 45 questions) is ingested through the normal intake and
 * store pipeline and one history build, exported as JSON Lines, imported into a fresh instance, and every
 * question recalls the same memory texts there. A second import adds nothing; a bad line imports nothing.
 */
class ExportImportTest {
    private static final String RETENTION = """
            [embedding]
            message_retention_days = 36500
            memory_retention_days = 36500
            """;
    private static final String NDJSON = "application/x-ndjson";
    /** The first sessions of the conversation up to this many turns keep the test near a minute on two cores. */
    private static final int MAX_TURNS = 100;

    @TempDir
    Path dir;

    @Test
    void an_imported_dev_conversation_recalls_what_the_original_recalls() throws Exception {
        LocomoSample sample = firstSessions(LocomoLoader.loadDevSet().getFirst(), MAX_TURNS);
        String chat = "dev-" + sample.sampleId();
        String exported;
        Map<String, List<String>> before = new LinkedHashMap<>();
        try (TestServer source = TestServer.start(dir.resolve("a"), "", RETENTION)) {
            ingest(source, chat, sample);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> source.engram.memory().engine().isIdle());
            source.engram.memory().work().buildHistory(chat);
            // an edited memory: its history must travel too
            JsonNode first = source.get("/api/chats/" + chat + "/memories?limit=1").json().path("memories").get(0);
            assertThat(source.patch("/api/memories/" + first.path("id").asLong(),
                    "{\"text\":\"" + sample.speakerA() + " corrected this memory: zebra-umbrella\"}").status()).isEqualTo(200);
            for (LocomoSample.Question q : sample.questions()) before.put(q.question(), recall(source, chat, q.question()));
            before.put("zebra-umbrella", recall(source, chat, "zebra-umbrella"));
            assertThat(before.values()).as("queries that recall something").filteredOn(l -> !l.isEmpty())
                    .hasSizeGreaterThan(before.size() * 9 / 10);
            assertThat(before.get("zebra-umbrella")).anyMatch(t -> t.contains("zebra-umbrella"));

            TestServer.Response r = source.get("/api/chats/" + chat + "/export");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith(NDJSON);
            exported = r.body();
            assertThat(source.get("/api/chats/nope/export").status()).isEqualTo(404);
            assertThat(source.get("/api/export").body().lines().count()).isEqualTo(exported.lines().count());
        }
        List<String> lines = exported.lines().toList();
        JsonNode header = TestServer.JSON.readTree(lines.getFirst());
        assertThat(header.path("format").asText()).isEqualTo("engram-export");
        assertThat(header.path("version").asInt()).isEqualTo(1);
        assertThat(lines).filteredOn(l -> l.contains("\"type\":\"message\"")).hasSize(sample.turnCount());
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"memory\"") && l.contains("\"superseded_by\":"));
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"graph_item\""));

        try (TestServer target = TestServer.start(dir.resolve("b"), "", RETENTION)) {
            // a bad line anywhere: 400 naming it, and nothing imported
            List<String> broken = new ArrayList<>(lines);
            broken.add(5, "{\"type\":\"message\",\"id\":1}");
            TestServer.Response bad = target.post("/api/import", String.join("\n", broken), "Content-Type", NDJSON);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("detail").asText()).startsWith("line 6:");
            assertThat(target.messageCount()).isZero();
            assertThat(target.post("/api/import", exported, "Content-Type", "text/plain").status()).isEqualTo(415);

            JsonNode receipt = target.post("/api/import", exported, "Content-Type", NDJSON).json();
            assertThat(receipt.path("messages").asLong()).isEqualTo(sample.turnCount());
            assertThat(receipt.path("memories").asLong()).isPositive();
            assertThat(receipt.path("graph_items").asLong()).isPositive();
            for (Map.Entry<String, List<String>> q : before.entrySet()) {
                assertThat(recall(target, chat, q.getKey())).as(q.getKey()).isEqualTo(q.getValue());
            }
            // the edit's history came along: the corrected memory supersedes the one it replaced
            JsonNode edited = target.get("/api/chats/" + chat + "/memories?q=zebra-umbrella").json().path("memories").get(0);
            assertThat(edited.path("supersedes")).hasSize(1);

            // importing the same file again adds nothing
            JsonNode again = target.post("/api/import", exported, "Content-Type", "application/jsonl").json();
            assertThat(again.path("messages").asLong()).isZero();
            assertThat(again.path("memories").asLong()).isZero();
            assertThat(again.path("messages_existing").asLong()).isEqualTo(sample.turnCount());
            assertThat(target.messageCount()).isEqualTo(sample.turnCount());
        }
    }

    /** The sample cut to its first sessions holding at most {@code maxTurns} turns, with all its questions. */
    private static LocomoSample firstSessions(LocomoSample s, int maxTurns) {
        List<LocomoSample.Session> kept = new ArrayList<>();
        int turns = 0;
        for (LocomoSample.Session session : s.sessions()) {
            if (!kept.isEmpty() && turns + session.turns().size() > maxTurns) break;
            kept.add(session);
            turns += session.turns().size();
        }
        return new LocomoSample(s.sampleId(), s.speakerA(), s.speakerB(), kept, s.questions());
    }

    private static void ingest(TestServer server, String chat, LocomoSample sample) {
        Instant previous = null;
        for (LocomoSample.Session s : sample.sessions()) {
            Instant at = s.startedAt() == null ? previous.plus(Duration.ofDays(1)) : s.startedAt().toInstant(ZoneOffset.UTC);
            for (LocomoSample.Turn t : s.turns()) {
                if (previous != null && !at.isAfter(previous)) at = previous.plusMillis(1);
                server.engram.memory().service().persist(new NewMessage(chat, ChatMessage.Role.USER, t.speaker(), t.speaker(),
                        t.text(), at, t.diaId()));
                previous = at;
                at = at.plusSeconds(30);
            }
        }
    }

    private static List<String> recall(TestServer server, String chat, String q) throws Exception {
        JsonNode body = server.get("/api/memory/search?chat_id=" + chat + "&k=10&timeout_ms=20000&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)).json();
        assertThat(body.path("memory_status").asText()).as(q).isEqualTo("ok");
        return body.path("memories").findValuesAsText("text");
    }
}
