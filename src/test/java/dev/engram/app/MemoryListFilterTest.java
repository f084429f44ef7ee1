package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.testing.MutableClock;

/**
 * {@code GET /api/chats/{chat}/memories} filters over real HTTP and SQLite, with an injected clock: by source
 * (written from messages or stored through the API), by pin, by time range, combined with speaker and text; a bad
 * filter value is a 400 naming the parameter.
 */
class MemoryListFilterTest {
    @TempDir
    Path dir;

    @Test
    void memories_are_filtered_by_source_pin_time_speaker_and_text() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T02:00:00Z"));
        try (TestServer server = TestServer.start(dir, "", "", clock)) {
            say(server, clock, "小林", "u1", "我叫小林，我对花生过敏");
            say(server, clock, "小王", "u2", "我叫小王，我住在杭州");
            Instant between = clock.instant().plusSeconds(30);
            clock.advance(Duration.ofMinutes(1));
            assertThat(server.post("/api/memory", "{\"chat_id\":\"f\",\"content\":\"群规：晚上十点后不刷屏\"}").status())
                    .isEqualTo(202);
            server.awaitIngestIdle();
            List<String> all = texts(server, "");
            assertThat(all).hasSize(3).contains("群规：晚上十点后不刷屏");

            assertThat(texts(server, "source=manual")).containsExactly("群规：晚上十点后不刷屏");
            assertThat(texts(server, "source=INSTANT")).hasSize(2).doesNotContain("群规：晚上十点后不刷屏");
            long peanut = idOf(server, "花生");
            assertThat(server.patch("/api/memories/" + peanut, "{\"pinned\":true}").status()).isEqualTo(200);
            assertThat(texts(server, "pinned=true")).singleElement().asString().contains("花生");
            assertThat(texts(server, "pinned=false")).hasSize(2).noneMatch(t -> t.contains("花生"));
            assertThat(texts(server, "to=" + between)).hasSize(2).doesNotContain("群规：晚上十点后不刷屏");
            assertThat(texts(server, "from=" + between)).containsExactly("群规：晚上十点后不刷屏");
            assertThat(texts(server, "source=instant&speaker=u2&q=%E6%9D%AD%E5%B7%9E")).singleElement().asString()
                    .contains("杭州");
            assertThat(texts(server, "source=instant&pinned=true&speaker=u2")).isEmpty();

            TestServer.Response bad = server.get("/api/chats/f/memories?source=llm");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("detail").asText()).contains("\"source\"");
            assertThat(server.get("/api/chats/f/memories?pinned=yes").status()).isEqualTo(400);
            assertThat(server.get("/api/chats/f/memories?from=yesterday").status()).isEqualTo(400);
        }
    }

    private static void say(TestServer server, MutableClock clock, String name, String user, String text) throws Exception {
        clock.advance(Duration.ofMinutes(1));
        TestServer.Response r = server.post("/api/message", "{\"chat_id\":\"f\",\"user_id\":\"" + user
                + "\",\"user_name\":\"" + name + "\",\"message\":\"" + text + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        server.awaitIngestIdle();
    }

    private static List<String> texts(TestServer server, String query) throws Exception {
        TestServer.Response r = server.get("/api/chats/f/memories?state=current&" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("memories").findValuesAsText("text");
    }

    private static long idOf(TestServer server, String part) throws Exception {
        for (JsonNode m : server.get("/api/chats/f/memories").json().path("memories")) {
            if (m.path("text").asText().contains(part)) return m.path("id").asLong();
        }
        throw new AssertionError("no memory containing " + part);
    }
}
