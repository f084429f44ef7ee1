package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Users own their memory, over real HTTP on a real SQLite file and Lucene index: browse, show with provenance
 * and history, edit (history kept), delete; forget a speaker of a busy group chat while their stores are still
 * queued — afterwards none of their text is recallable, in any table, or re-created by a queued task, and the
 * other speakers' memories are untouched; forget a whole chat — afterwards not a byte of it is left in any file
 * of the data directory (database, write-ahead log, index segments).
 */
class ForgetTest {
    @TempDir
    Path dir;

    private static final int PER_SPEAKER = 24;

    @Test
    void forgetting_a_speaker_of_a_busy_group_removes_every_copy_and_spares_the_others() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            // speaker a (小林) and b (小王) talk at once; each line carries a token found nowhere else
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < PER_SPEAKER; i++) {
                int n = i;
                sent.add(pool.submit(() -> say(server, "a1", "小林", "我的暗号是 zqxalpha" + n + " 记住它")));
                sent.add(pool.submit(() -> say(server, "b1", "小王", "我的暗号是 wvubravo" + n + " 记住它")));
            }
            for (Future<Integer> f : sent) assertThat(f.get()).isEqualTo(200);
            pool.shutdown();

            // forget 小林 at once: many of their stores are still queued
            JsonNode receipt = server.delete("/api/chats/grp/speakers/a1").json();
            assertThat(receipt.path("messages").asLong()).isGreaterThanOrEqualTo(PER_SPEAKER);
            assertThat(receipt.path("chats").get(0).asText()).isEqualTo("grp");

            server.awaitIngestIdle(); // every queued store has run: none may bring anything back
            assertThat(search(server, "zqxalpha1")).noneMatch(t -> t.contains("zqxalpha"));
            assertThat(listTexts(server, "grp")).noneMatch(t -> t.contains("zqxalpha"));
            assertThat(rowsContaining(dir, "zqxalpha")).as("rows still holding 小林's text").isEmpty();


            // 小王 is untouched: every one of their messages is still stored and found, and memories of theirs that
            // held no line of 小林's are all still there (those written from a window with 小林's lines went too)
            assertThat(count(dir, "SELECT COUNT(*) FROM messages WHERE user_id = 'b1'")).isEqualTo(PER_SPEAKER);
            for (int i = 0; i < PER_SPEAKER; i++) {
                String token = "wvubravo" + i;
                assertThat(search(server, token)).as(token).anyMatch(t -> t.contains(token));
            }
            assertThat(listTexts(server, "grp")).filteredOn(t -> t.contains("wvubravo")).isNotEmpty();
            assertThat(filesContaining(dir, "wvubravo")).isNotEmpty();

            // forgetting again finds nothing more
            assertThat(server.delete("/api/chats/grp/speakers/a1").json().path("memories").asLong()).isZero();
        }
    }

    @Test
    void memories_can_be_listed_shown_edited_and_deleted() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(say(server, "u1", "小林", "我最喜欢的电影是《千与千寻》")).isEqualTo(200);
            server.awaitIngestIdle();
            JsonNode page = server.get("/api/chats/grp/memories?speaker=u1").json();
            JsonNode first = page.path("memories").get(0);
            assertThat(first.path("speaker_name").asText()).isEqualTo("小林");
            assertThat(first.path("current").asBoolean()).isTrue();
            long id = first.path("id").asLong();

            JsonNode shown = server.get("/api/memories/" + id).json();
            assertThat(shown.path("provenance").get(0).path("text").asText()).contains("千与千寻");

            JsonNode edited = server.patch("/api/memories/" + id, "{\"text\":\"小林最喜欢的电影是《龙猫》\"}").json();
            long newId = edited.path("memory").path("id").asLong();
            assertThat(newId).isNotEqualTo(id);
            assertThat(edited.path("memory").path("supersedes").get(0).asLong()).isEqualTo(id);
            assertThat(search(server, "龙猫")).anyMatch(t -> t.contains("龙猫"));
            JsonNode history = server.get("/api/memories/" + newId).json().path("history");
            assertThat(history.size()).isEqualTo(2);
            assertThat(history.get(0).path("current").asBoolean()).isFalse();
            assertThat(server.patch("/api/memories/" + id, "{\"text\":\"x\"}").status()).isEqualTo(409);

            JsonNode deleted = server.delete("/api/memories/" + newId).json();
            assertThat(deleted.path("deleted").path("memories").asLong()).isEqualTo(1);
            assertThat(server.get("/api/memories/" + newId).status()).isEqualTo(404);
            assertThat(search(server, "龙猫")).noneMatch(t -> t.contains("龙猫"));
            // the fact the edit had replaced is current (and found) again
            assertThat(server.get("/api/memories/" + id).json().path("memory").path("current").asBoolean()).isTrue();
            assertThat(server.get("/api/memories/abc").status()).isEqualTo(400);
            assertThat(server.get("/api/chats/grp/memories?state=maybe").status()).isEqualTo(400);
        }
    }

    @Test
    void forgetting_a_chat_removes_it_and_leaves_other_chats() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            for (int i = 0; i < 5; i++) {
                server.post("/api/message", "{\"chat_id\":\"gone\",\"user_id\":\"u\",\"message\":\"我记得 qqgone" + i + " 这件事\"}");
                server.post("/api/message", "{\"chat_id\":\"kept\",\"user_id\":\"u\",\"message\":\"我记得 qqkept" + i + " 这件事\"}");
            }
            JsonNode receipt = server.delete("/api/chats/gone").json();
            assertThat(receipt.path("messages").asLong()).isEqualTo(10); // five messages and five replies
            server.awaitIngestIdle();
            JsonNode chats = server.get("/api/chats").json().path("chats");
            assertThat(chats.findValuesAsText("chat_id")).contains("kept").doesNotContain("gone");
            assertThat(filesContaining(dir, "qqgone")).isEmpty();
            assertThat(filesContaining(dir, "qqkept")).isNotEmpty();
        }
    }

    private static int say(TestServer server, String userId, String name, String text) throws Exception {
        return server.post("/api/message", "{\"chat_id\":\"grp\",\"user_id\":\"" + userId + "\",\"user_name\":\"" + name
                + "\",\"message\":\"" + text + "\"}").status();
    }

    private static List<String> search(TestServer server, String q) throws Exception {
        JsonNode body = server.get("/api/memory/search?chat_id=grp&k=50&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json();
        return body.path("memories").findValuesAsText("text");
    }

    private static List<String> listTexts(TestServer server, String chat) throws Exception {
        return server.get("/api/chats/" + chat + "/memories?limit=500").json().path("memories").findValuesAsText("text");
    }

    private static long count(Path root, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/engram.db"));
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every text column of every table that holds {@code token}, as "table: value". */
    private static List<String> rowsContaining(Path root, String token) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/engram.db"))) {
            for (String q : new String[] {"messages: SELECT text FROM messages", "memories: SELECT text FROM memories",
                    "memory_terms: SELECT term FROM memory_terms", "graph_items: SELECT text FROM graph_items",
                    "graph_nodes: SELECT concept FROM graph_nodes", "task_outbox: SELECT payload FROM task_outbox"}) {
                String table = q.substring(0, q.indexOf(':'));
                try (var rs = c.createStatement().executeQuery(q.substring(q.indexOf(':') + 1))) {
                    while (rs.next()) if (rs.getString(1).contains(token)) out.add(table + ": " + rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Files under {@code root} whose bytes contain {@code token} (ASCII). */
    private static List<Path> filesContaining(Path root, String token) throws IOException {
        byte[] needle = token.getBytes(StandardCharsets.UTF_8);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                if (indexOf(bytes, needle) >= 0) out.add(root.relativize(f));
            }
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
