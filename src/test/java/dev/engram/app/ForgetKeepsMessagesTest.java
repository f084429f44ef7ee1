package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code [memory] forget_keeps_messages = true}: forgetting a speaker keeps their message rows but nothing
 * remembered of them — no memory, no index document (the index files hold none of their text), no graph item —
 * and a later store of the chat, a graph build and an export/import do not bring them back.
 */
class ForgetKeepsMessagesTest {
    @TempDir
    Path dir;

    @Test
    void the_rows_stay_and_nothing_remembers_them() throws Exception {
        try (TestServer server = TestServer.start(dir, "", "[memory]\nforget_keeps_messages = true\n")) {
            for (int i = 0; i < 4; i++) {
                say(server, "a1", "我的暗号是 zqxkeep" + i + " 记住它");
                say(server, "b1", "我的暗号是 wvuother" + i + " 记住它");
            }
            server.awaitIngestIdle();
            JsonNode receipt = server.delete("/api/chats/grp/speakers/a1").json();
            assertThat(receipt.path("messages").asLong()).isZero();
            assertThat(receipt.path("messages_kept").asLong()).isGreaterThanOrEqualTo(4);
            assertThat(receipt.path("memories").asLong()).isPositive();

            say(server, "b1", "今天下雨了，我的暗号还是 wvuother0");
            server.post("/api/memory/build", "");
            server.awaitIngestIdle();

            assertThat(count("SELECT COUNT(*) FROM messages WHERE user_id = 'a1'")).isEqualTo(4);
            assertThat(count("SELECT COUNT(*) FROM memories WHERE text LIKE '%zqxkeep%'")).isZero();
            assertThat(count("SELECT COUNT(*) FROM graph_items WHERE text LIKE '%zqxkeep%'")).isZero();
            assertThat(search(server, "zqxkeep1")).noneMatch(t -> t.contains("zqxkeep"));
            assertThat(search(server, "wvuother1")).anyMatch(t -> t.contains("wvuother1"));
            assertThat(indexFilesContaining("zqxkeep")).isEmpty();

            // an export says which rows are forgotten; imported elsewhere they stay unremembered
            String export = server.get("/api/chats/grp/export").body();
            assertThat(export.lines().filter(l -> l.contains("zqxkeep"))).allMatch(l -> l.contains("\"forgotten\":true"));
            try (TestServer other = TestServer.start(dir.resolve("other"))) {
                assertThat(other.post("/api/import", export, "Content-Type", "application/x-ndjson").status()).isEqualTo(200);
                assertThat(search(other, "zqxkeep1")).noneMatch(t -> t.contains("zqxkeep"));
                assertThat(search(other, "wvuother1")).anyMatch(t -> t.contains("wvuother1"));
            }
        }
    }

    private static void say(TestServer server, String user, String text) throws Exception {
        assertThat(server.post("/api/message", "{\"chat_id\":\"grp\",\"user_id\":\"" + user + "\",\"message\":\"" + text + "\"}")
                .status()).isEqualTo(200);
    }

    private static List<String> search(TestServer server, String q) throws Exception {
        return server.get("/api/memory/search?chat_id=grp&k=50&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json()
                .path("memories").findValuesAsText("text");
    }

    private long count(String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/engram.db"));
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Path> indexFilesContaining(String token) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("data/index"))) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(token);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
