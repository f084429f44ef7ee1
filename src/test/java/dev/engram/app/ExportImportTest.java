package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.eval.LocomoLoader;
import dev.engram.eval.LocomoSample;
import dev.engram.memory.recall.RecallQuery;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;

/**
 * Export → import over real HTTP between two Engrams on real SQLite files and Lucene indexes: the whole shipped
 * dev set (every conversation as its own chat, every turn) is ingested through the normal intake and store
 * pipeline and one history build per chat, exported as JSON Lines ({@code GET /api/export}), imported into a
 * fresh instance, and every question of every chat recalls the same memory texts, in the same order, there: the
 * fused answer and each source's own list (vector, lexical, instant, graph; kind and text of every candidate, in
 * order). A difference fails with a rank-by-rank account per source ({@link SourceDiff}).
 * A per-chat export holds exactly that chat's lines of the full one; a second import adds nothing; a bad line
 * imports nothing. All 180 questions (every category) plus one query for an edited memory are compared.
 */
class ExportImportTest {
    private static final String RETENTION = """
            [embedding]
            message_retention_days = 36500
            memory_retention_days = 36500
            """;
    private static final String NDJSON = "application/x-ndjson";
    private static final String MARK = "zebra-umbrella";

    @TempDir
    Path dir;

    @Test
    void an_imported_dev_set_recalls_what_the_original_recalls() throws Exception {
        List<LocomoSample> samples = LocomoLoader.loadDevSet();
        int turns = samples.stream().mapToInt(LocomoSample::turnCount).sum();
        List<String> chats = samples.stream().map(ExportImportTest::chat).toList();
        String marked = chats.getFirst();
        String exported;
        Map<String, Map<String, List<String>>> before = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, List<String>>>> beforeSources = new LinkedHashMap<>();
        try (TestServer source = TestServer.start(dir.resolve("a"), "", RETENTION)) {
            for (LocomoSample s : samples) ingest(source, chat(s), s);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> source.engram.memory().engine().isIdle());
            for (LocomoSample s : samples) source.engram.memory().work().buildHistory(chat(s));
            // an edited memory: its history must travel too
            JsonNode first = source.get("/api/chats/" + marked + "/memories?limit=1").json().path("memories").get(0);
            assertThat(source.patch("/api/memories/" + first.path("id").asLong(),
                    "{\"text\":\"" + samples.getFirst().speakerA() + " corrected this memory: " + MARK + "\"}").status())
                    .isEqualTo(200);
            for (LocomoSample s : samples) before.put(chat(s), recallAll(source, s));
            before.get(marked).put(MARK, recall(source, marked, MARK));
            for (Map.Entry<String, Map<String, List<String>>> chat : before.entrySet()) {
                Map<String, Map<String, List<String>>> perQuery = new LinkedHashMap<>();
                for (String q : chat.getValue().keySet()) perQuery.put(q, bySource(source, chat.getKey(), q));
                beforeSources.put(chat.getKey(), perQuery);
            }
            for (Map<String, List<String>> chat : before.values()) {
                assertThat(chat.values()).as("queries that recall something").filteredOn(l -> !l.isEmpty())
                        .hasSizeGreaterThan(chat.size() * 9 / 10);
            }
            assertThat(before.get(marked).get(MARK)).anyMatch(t -> t.contains(MARK));

            TestServer.Response all = source.get("/api/export");
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.contentType()).startsWith(NDJSON);
            exported = all.body();
            for (LocomoSample s : samples) {
                TestServer.Response one = source.get("/api/chats/" + chat(s) + "/export");
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.contentType()).startsWith(NDJSON);
                // the chat's own lines as in the full export; the graph lines (no chat) a part of the full export's
                assertThat(linesOf(body(one.body()), chat(s))).as(chat(s)).isEqualTo(linesOf(body(exported), chat(s)));
                assertThat(body(one.body())).as(chat(s)).filteredOn(l -> !l.contains("\"chat_id\":"))
                        .isNotEmpty().isSubsetOf(body(exported));
            }
            assertThat(source.get("/api/chats/nope/export").status()).isEqualTo(404);
        }
        List<String> lines = exported.lines().toList();
        JsonNode header = TestServer.JSON.readTree(lines.getFirst());
        assertThat(header.path("format").asText()).isEqualTo("engram-export");
        assertThat(header.path("version").asInt()).isEqualTo(2);
        assertThat(texts(header.path("chats"))).containsExactlyInAnyOrderElementsOf(chats);
        assertThat(lines).filteredOn(l -> l.contains("\"type\":\"message\"")).hasSize(turns);
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"memory\"") && l.contains("\"superseded_by\":"));
        // the graph recall walks travels whole: its concepts and their links with strengths
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"graph_node\""))
                .anyMatch(l -> l.contains("\"type\":\"graph_edge\"") && l.contains("\"strength\":"));
        for (LocomoSample s : samples) {
            assertThat(linesOf(body(exported), chat(s))).as(chat(s))
                    .anyMatch(l -> l.contains("\"type\":\"memory\""))
                    .anyMatch(l -> l.contains("\"type\":\"graph_item\""));
        }

        try (TestServer target = TestServer.start(dir.resolve("b"), "", RETENTION)) {
            // a bad line anywhere: 400 naming it, and nothing imported
            List<String> broken = new ArrayList<>(lines);
            broken.add(5, "{\"type\":\"message\",\"id\":1}");
            TestServer.Response bad = importBody(target, String.join("\n", broken), NDJSON);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("detail").asText()).startsWith("line 6:");
            assertThat(target.messageCount()).isZero();
            assertThat(target.post("/api/import", exported, "Content-Type", "text/plain").status()).isEqualTo(415);

            JsonNode receipt = importBody(target, exported, NDJSON).json();
            assertThat(receipt.path("messages").asLong()).isEqualTo(turns);
            assertThat(receipt.path("memories").asLong()).isPositive();
            assertThat(receipt.path("graph_items").asLong()).isPositive();
            assertThat(texts(receipt.path("chats"))).containsExactlyInAnyOrderElementsOf(chats);
            int compared = 0;
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, Map<String, List<String>>> chat : before.entrySet()) {
                for (Map.Entry<String, List<String>> q : chat.getValue().entrySet()) {
                    List<String> after = recall(target, chat.getKey(), q.getKey());
                    Map<String, List<String>> sourcesAfter = bySource(target, chat.getKey(), q.getKey());
                    Map<String, List<String>> sourcesBefore = beforeSources.get(chat.getKey()).get(q.getKey());
                    String diff = SourceDiff.describe(q.getValue(), after, sourcesBefore, sourcesAfter);
                    if (!diff.isEmpty()) differences.add(chat.getKey() + ": " + q.getKey() + "\n" + diff);
                    compared++;
                }
            }
            assertThat(differences).as("queries that recall differently after the import (of %s)", compared).isEmpty();
            assertThat(compared).isEqualTo(samples.stream().mapToInt(s -> s.questions().size()).sum() + 1);
            // the edit's history came along: the corrected memory supersedes the one it replaced
            JsonNode edited = target.get("/api/chats/" + marked + "/memories?q=" + MARK).json().path("memories").get(0);
            assertThat(edited.path("supersedes")).hasSize(1);

            // importing the same file again adds nothing
            JsonNode again = importBody(target, exported, "application/jsonl").json();
            assertThat(again.path("messages").asLong()).isZero();
            assertThat(again.path("memories").asLong()).isZero();
            assertThat(again.path("graph_items").asLong()).isZero();
            assertThat(again.path("messages_existing").asLong()).isEqualTo(turns);
            assertThat(target.messageCount()).isEqualTo(turns);
        }
    }

    /** {@code POST /api/import} with room for the whole dev set (TestServer's requests time out after 30 s). */
    private static TestServer.Response importBody(TestServer server, String body, String type) throws Exception {
        HttpResponse<String> r = server.client.send(HttpRequest.newBuilder(server.uri("/api/import"))
                .timeout(Duration.ofMinutes(5)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new TestServer.Response(r.statusCode(), r.body(), "");
    }

    private static String chat(LocomoSample s) {
        return s.sampleId();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The export without its header line (which carries the export time and chat list). */
    private static List<String> body(String export) {
        return export.lines().skip(1).toList();
    }

    private static List<String> linesOf(List<String> lines, String chat) {
        String key = "\"chat_id\":" + TestServer.JSON.valueToTree(chat);
        return lines.stream().filter(l -> l.contains(key)).toList();
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

    private static Map<String, List<String>> recallAll(TestServer server, LocomoSample s) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (LocomoSample.Question q : s.questions()) out.put(q.question(), recall(server, chat(s), q.question()));
        return out;
    }

    /** Each source's screened answer to {@code q} as the HTTP search asks it (k 10), as {@link SourceDiff} lines. */
    private static Map<String, List<String>> bySource(TestServer server, String chat, String q) {
        RecallQuery query = new RecallQuery(chat, q, Set.of(), Instant.now().plusSeconds(20), Set.of(), 10, 0);
        Map<String, List<String>> out = new LinkedHashMap<>();
        server.engram.memory().recall().answers(query).bySource()
                .forEach((name, list) -> out.put(name, list.stream().map(SourceDiff::line).toList()));
        return out;
    }

    private static List<String> recall(TestServer server, String chat, String q) throws Exception {
        JsonNode body = server.get("/api/memory/search?chat_id=" + chat + "&k=10&timeout_ms=20000&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)).json();
        assertThat(body.path("memory_status").asText()).as(q).isEqualTo("ok");
        return body.path("memories").findValuesAsText("text");
    }
}
