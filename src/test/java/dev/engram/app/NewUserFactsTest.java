package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.testing.MutableClock;

/**
 * Issue 10, "facts, not windows", through the real HTTP API (port 0, SQLite, the offline provider) with an
 * injected clock: the new-user transcript leaves three atomic facts of 小林, each once, the trip with its
 * absolute date, and the allergy first when 小林's allergy is asked about.
 */
class NewUserFactsTest {
    @TempDir
    Path dir;

    private static JsonNode message(TestServer server, MutableClock clock, String json) throws Exception {
        clock.advance(Duration.ofMinutes(1));
        TestServer.Response r = server.post("/api/message", json);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        server.awaitIngestIdle();
        return r.json();
    }

    @Test
    void the_new_user_transcript_is_remembered_as_three_facts_of_the_speaker() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T02:00:00Z")); // a Wednesday, in UTC and Asia
        try (TestServer server = TestServer.start(dir, "", "", clock)) {
            List<Long> ids = new ArrayList<>();
            for (String text : List.of("我叫小林，我对花生过敏", "下周三我要去上海出差", "我最喜欢的电影是《千与千寻》")) {
                ids.add(message(server, clock, "{\"chat_id\":\"qq-1\",\"user_name\":\"小林\",\"message\":\"" + text + "\"}")
                        .path("message_id").asLong());
            }
            JsonNode fourth = message(server, clock, "{\"chat_id\":\"qq-1\",\"message\":\"我对什么过敏？\"}");

            List<StoredMemory> facts = server.engram.storage().memories().byChat("qq-1", Instant.EPOCH,
                    Instant.parse("9999-01-01T00:00:00Z"), 50).reversed();
            assertThat(facts).extracting(StoredMemory::text).containsExactly(
                    "小林对花生过敏", "小林 2026-12-09（周三）要去上海出差", "小林最喜欢的电影是《千与千寻》");
            for (int i = 0; i < 3; i++) {
                assertThat(facts.get(i).messageIds()).as("provenance of " + facts.get(i).text()).containsExactly(ids.get(i));
                assertThat(facts.get(i).current()).isTrue();
            }
            assertThat(server.engram.storage().messages().findAll(facts.stream()
                    .flatMap(f -> f.messageIds().stream()).toList())).extracting(ChatMessage::role)
                    .containsOnly(ChatMessage.Role.USER);

            List<String> recalled = new ArrayList<>();
            fourth.path("memories").forEach(m -> recalled.add(m.path("text").asText()));
            assertThat(recalled).as(fourth.toString()).isNotEmpty();
            assertThat(recalled.getFirst()).as(fourth.toString()).contains("花生过敏");
            assertThat(recalled).as(fourth.toString()).contains("小林对花生过敏")
                    .noneMatch(t -> t.contains("离线模式") || t.contains("我回忆起") || t.startsWith("bot"))
                    .noneMatch(t -> t.contains("我对什么过敏"));
        }
    }
}
