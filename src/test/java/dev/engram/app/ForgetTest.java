package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.memory.vector.Embedder;

/**
 * Users own their memory, over real HTTP on a real SQLite file and Lucene index: browse, show with provenance
 * and history, edit (history kept), delete; forget a speaker of a busy group chat (in it, or everywhere) while
 * their stores are still queued — afterwards none of their text is recallable, in any table, in any file of the
 * data directory (database, write-ahead log, index segments), or re-created by a queued task, and the other
 * speakers' messages and memories are untouched; forget a whole chat — afterwards not a byte of it is left in any
 * file of the data directory.
 */
class ForgetTest {
    @TempDir
    Path dir;

    private static final int PER_SPEAKER = 24;
    private static final int SETTLED = 3;
    private static final int BURST = 12;
    /** A store of a text holding this waits at its model call until the test lets it go. */
    private static final String GATE = "wvugate";

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
            assertThat(filesContaining(dir, "zqxalpha")).as("files still holding 小林's text").isEmpty();

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
    void forgetting_a_speaker_while_their_stores_are_held_leaves_no_byte_of_them_in_the_data_directory() throws Exception {
        forgetWhileStoresAreHeld(List.of("grp"), "/api/chats/grp/speakers/a1");
    }

    @Test
    void forgetting_a_speaker_everywhere_leaves_no_byte_of_them_in_any_chat() throws Exception {
        forgetWhileStoresAreHeld(List.of("grp", "grp2"), "/api/chats/grp/speakers/a1?everywhere=true");
    }

    /**
     * 小林 (a1) and 小王 (b1) talk in {@code chats}, first a settled history, then a burst whose stores all wait: the
     * engine's only store worker is held at its model call by a store of another chat ({@code held}, on another lock
     * stripe than {@code chats}). 小林 is forgotten ({@code path}) while the burst is queued; once every queued
     * store has run or was dropped, no file of the data directory holds a byte of 小林's text (ASCII and CJK tokens
     * found nowhere else), and everything of 小王's is still there.
     */
    private void forgetWhileStoresAreHeld(List<String> chats, String path) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = TestServer.start(dir, "", "[tasks]\ningest_concurrency = 1\n",
                model -> new GatedEmbedder(model, held, release))) {
            for (int c = 0; c < chats.size(); c++) {
                for (int i = 0; i < SETTLED; i++) talk(server, chats.get(c), c * 100 + i);
            }
            server.awaitIngestIdle();
            List<Long> spared = ids(dir, "SELECT id FROM memories WHERE text LIKE '%wvubravo%' AND text NOT LIKE '%zqxalpha%'"
                    + " AND text NOT LIKE '%鸑鷟%'");
            assertThat(spared).as("小王's settled memories").hasSizeGreaterThanOrEqualTo(SETTLED * chats.size());

            assertThat(say(server, "held", "b1", "小王", "我的暗号是 " + GATE + " 记住它")).isEqualTo(200);
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the store of chat held reached the model").isTrue();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Void>> sent = new ArrayList<>();
                for (int c = 0; c < chats.size(); c++) {
                    for (int i = SETTLED; i < SETTLED + BURST; i++) {
                        int chat = c;
                        int n = c * 100 + i;
                        sent.add(pool.submit(() -> talk(server, chats.get(chat), n)));
                    }
                }
                for (Future<Void> f : sent) f.get();
                long othersBefore = count(dir, "SELECT COUNT(*) FROM messages WHERE user_id = 'b1'");
                assertThat(othersBefore).isEqualTo((long) chats.size() * (SETTLED + BURST) + 1);

                JsonNode receipt = server.delete(path).json();
                assertThat(receipt.path("messages").asLong()).isGreaterThanOrEqualTo((long) chats.size() * (SETTLED + BURST));
                List<String> forgottenIn = new ArrayList<>();
                receipt.path("chats").forEach(n -> forgottenIn.add(n.asText()));
                assertThat(forgottenIn).containsExactlyInAnyOrderElementsOf(chats);
                // the burst's stores of 小林's lines and of the (offline) replies quoting them were all still queued
                assertThat(receipt.path("tasks").asLong()).as("queued stores of 小林 dropped")
                        .isEqualTo(2L * chats.size() * BURST);

                release.countDown();
                server.awaitIngestIdle(); // every queued store has run or was dropped: none may bring anything back
                for (String chat : chats) {
                    assertThat(search(server, chat, "zqxalpha" + (SETTLED + 1))).noneMatch(t -> t.contains("zqxalpha"));
                    assertThat(listTexts(server, chat)).noneMatch(t -> t.contains("zqxalpha") || t.contains("鸑鷟"));
                }
                for (String token : List.of("zqxalpha", "鸑鷟")) {
                    assertThat(rowsContaining(dir, token)).as("rows holding 小林's " + token).isEmpty();
                    assertThat(filesContaining(dir, token)).as("files holding 小林's " + token).isEmpty();
                }

                // 小王 is untouched: every message, every settled memory, every line recallable, in the files
                assertThat(count(dir, "SELECT COUNT(*) FROM messages WHERE user_id = 'b1'")).isEqualTo(othersBefore);
                assertThat(ids(dir, "SELECT id FROM memories")).containsAll(spared);
                for (int c = 0; c < chats.size(); c++) {
                    for (int i = 0; i < SETTLED + BURST; i++) {
                        String token = "wvubravo" + (c * 100 + i);
                        assertThat(search(server, chats.get(c), token)).as(token).anyMatch(t -> t.contains(token));
                    }
                }
                for (String token : List.of("wvubravo", "鸀鸃", GATE)) {
                    assertThat(filesContaining(dir, token)).as(token).isNotEmpty();
                }
                assertThat(server.delete(path).json().path("memories").asLong()).as("forgetting again").isZero();
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    /** One line each of 小林 (a1) and 小王 (b1) in {@code chat}, each with tokens found nowhere else. */
    private static Void talk(TestServer server, String chat, int n) throws Exception {
        assertThat(say(server, chat, "a1", "小林", "我的暗号是 zqxalpha" + n + " 鸑鷟" + n + " 记住它")).isEqualTo(200);
        assertThat(say(server, chat, "b1", "小王", "我的暗号是 wvubravo" + n + " 鸀鸃" + n + " 记住它")).isEqualTo(200);
        return null;
    }

    /** The real model, except that a store's call embedding {@link #GATE} waits for {@code release}. */
    private record GatedEmbedder(Embedder model, CountDownLatch held, CountDownLatch release) implements Embedder {
        @Override
        public float[] embed(String text) {
            return model.embed(text); // recall queries pass
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            if (texts.stream().anyMatch(t -> t.contains(GATE))) {
                held.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return model.embedAll(texts);
        }

        @Override
        public int dimensions() {
            return model.dimensions();
        }

        @Override
        public String modelId() {
            return model.modelId();
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
        return say(server, "grp", userId, name, text);
    }

    private static int say(TestServer server, String chat, String userId, String name, String text) throws Exception {
        return server.post("/api/message", "{\"chat_id\":\"" + chat + "\",\"user_id\":\"" + userId + "\",\"user_name\":\"" + name
                + "\",\"message\":\"" + text + "\"}").status();
    }

    private static List<String> search(TestServer server, String q) throws Exception {
        return search(server, "grp", q);
    }

    private static List<String> search(TestServer server, String chat, String q) throws Exception {
        JsonNode body = server.get("/api/memory/search?chat_id=" + chat + "&k=50&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json();
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

    private static List<Long> ids(Path root, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/engram.db"));
             var rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    /** Every value of every column of every table that holds {@code token}, as "table.column: value". */
    private static List<String> rowsContaining(Path root, String token) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/engram.db"))) {
            List<String> tables = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            for (String table : tables) {
                try (var rs = c.createStatement().executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String v = rs.getString(i);
                            if (v != null && v.contains(token)) out.add(table + "." + rs.getMetaData().getColumnName(i) + ": " + v);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Files under {@code root} whose bytes contain {@code token} (as UTF-8). */
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
