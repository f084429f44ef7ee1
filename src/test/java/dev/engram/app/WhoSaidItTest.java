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
import dev.engram.testing.MutableClock;

/**
 * Issue 10, "who said it", through the real HTTP API (port 0, SQLite, the offline provider): bot replies and
 * the memories they restate never come back as memories, questions are not facts, and "我" is the asker.
 */
class WhoSaidItTest {
    @TempDir
    Path dir;

    private static JsonNode message(TestServer server, String json) throws Exception {
        TestServer.Response r = server.post("/api/message", json);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        server.awaitIngestIdle();
        return r.json();
    }

    private static List<String> texts(JsonNode reply) {
        List<String> out = new ArrayList<>();
        reply.path("memories").forEach(m -> out.add(m.path("text").asText()));
        return out;
    }

    /** Roles of every message the reply's memories were drawn from. */
    private static List<ChatMessage.Role> provenanceRoles(TestServer server, JsonNode reply) {
        List<Long> ids = new ArrayList<>();
        reply.path("memories").forEach(m -> m.path("message_ids").forEach(id -> ids.add(id.asLong())));
        return server.engram.storage().messages().findAll(ids).stream().map(ChatMessage::role).toList();
    }

    @Test
    void the_new_user_transcript_recalls_the_allergy_and_no_bot_text_or_earlier_question() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            message(server, "{\"chat_id\":\"qq-1\",\"user_name\":\"小林\",\"message\":\"我叫小林，我对花生过敏\"}");
            message(server, "{\"chat_id\":\"qq-1\",\"user_name\":\"小林\",\"message\":\"下周三我要去上海出差\"}");
            message(server, "{\"chat_id\":\"qq-1\",\"user_name\":\"小林\",\"message\":\"我最喜欢的电影是《千与千寻》\"}");
            JsonNode fourth = message(server, "{\"chat_id\":\"qq-1\",\"message\":\"我对什么过敏？\"}");
            JsonNode again = message(server, "{\"chat_id\":\"qq-1\",\"message\":\"我对什么过敏？\"}");

            for (JsonNode reply : List.of(fourth, again)) {
                assertThat(reply.path("reply").asText()).startsWith("[Engram 离线模式]"); // the template is still the reply
                List<String> memories = texts(reply);
                assertThat(memories).as(reply.toString())
                        .anyMatch(t -> t.contains("花生过敏"))
                        .noneMatch(t -> t.contains("离线模式") || t.contains("我回忆起") || t.startsWith("bot"))
                        .noneMatch(t -> t.contains("我对什么过敏"));
                assertThat(provenanceRoles(server, reply)).as(reply.toString()).doesNotContain(ChatMessage.Role.ASSISTANT);
            }
            // the bot's replies stay in the history
            assertThat(server.engram.storage().messages().recent("qq-1", 10))
                    .filteredOn(m -> m.role() == ChatMessage.Role.ASSISTANT).hasSize(5);
        }
    }

    @Test
    void in_a_group_chat_my_allergy_is_the_askers_unless_another_speaker_is_named() throws Exception {
        // an hour apart, so each fact is remembered on its own (mixed windows are issue 10's second part)
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
        try (TestServer server = TestServer.start(dir, "", "", clock)) {
            message(server, "{\"chat_id\":\"group\",\"user_id\":\"a\",\"user_name\":\"小林\",\"message\":\"我对花生过敏\"}");
            clock.advance(Duration.ofHours(2));
            message(server, "{\"chat_id\":\"group\",\"user_id\":\"b\",\"user_name\":\"阿哲\",\"message\":\"我对芒果过敏\"}");
            clock.advance(Duration.ofHours(2));

            JsonNode mine = message(server, "{\"chat_id\":\"group\",\"user_id\":\"b\",\"user_name\":\"阿哲\",\"message\":\"我对什么过敏？\"}");
            JsonNode named = message(server, "{\"chat_id\":\"group\",\"user_id\":\"b\",\"user_name\":\"阿哲\",\"message\":\"我记得小林对什么过敏？\"}");

            assertThat(texts(mine)).as(mine.toString()).anyMatch(t -> t.contains("芒果")).noneMatch(t -> t.contains("花生"));
            assertThat(texts(named)).as(named.toString()).anyMatch(t -> t.contains("花生"));
        }
    }
}
