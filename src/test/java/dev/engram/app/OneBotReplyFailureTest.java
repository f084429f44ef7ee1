package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.model.ChatMessage;
import dev.engram.surface.onebot.OneBotSimulator;
import dev.engram.surface.onebot.OneBotSimulator.Reverse;

/** When the reply model fails, the OneBot surface sends nothing, keeps the message, and counts the error. */
class OneBotReplyFailureTest {
    @TempDir
    Path dir;

    @Test
    void a_failing_reply_model_sends_no_message_but_the_message_is_stored() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 500));
             TestServer server = TestServer.start(dir, "", """
                     [llm]
                     provider = "openai"
                     base_url = "%s"
                     [tasks]
                     drain_deadline_ms = 200
                     [onebot]
                     enabled = true
                     access_token = "onebot-test-token"
                     """.formatted(llm.baseUrl()));
             OneBotSimulator bot = new OneBotSimulator(10001000L)) {
            Reverse ws = bot.reverse(URI.create("ws://127.0.0.1:" + server.engram.port() + "/onebot/v11/ws"),
                    "Universal", "onebot-test-token");
            assertThat(ws.open()).isTrue();
            ws.event(bot.privateMessage(bot.nextMessageId(), 5L, "甲", "记住我的生日是五月三日"));

            await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/api/status").json()
                    .path("surfaces").path("onebot").path("errors").asLong() == 1);
            assertThat(server.get("/metrics").body()).contains("operation=\"message\",outcome=\"reply_failed\"");
            assertThat(bot.actions()).isEmpty();
            assertThat(server.engram.storage().messages().recent("qq:private:5", 5))
                    .extracting(ChatMessage::text).containsExactly("记住我的生日是五月三日");
            assertThat(ws.isOpen()).isTrue();
        }
    }
}
