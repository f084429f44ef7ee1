package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.llm.FakeLlmProfile;
import dev.engram.llm.FakeLlmServer;

/** The chat pipeline against the fake LLM over real HTTP: success, failure and timeout of the reply model. */
class OpenAiReplyTest {
    @TempDir
    Path dir;

    private static String llmSection(FakeLlmServer llm, int replyTimeoutMs) {
        return """
                [llm]
                provider = "openai"
                base_url = "%s"
                [llm.models]
                reply = "fake-reply"
                [chat]
                reply_timeout_ms = %d
                """.formatted(llm.baseUrl(), replyTimeoutMs);
    }

    @Test
    void reply_comes_from_the_configured_model() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant());
             TestServer server = TestServer.start(dir, "", llmSection(llm, 10_000))) {
            TestServer.Response r = server.post("/api/message", "{\"message\": \"你好\"}");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("reply").asText()).isNotBlank();
            assertThat(llm.lastRequest()).hasValueSatisfying(req -> {
                assertThat(req.model()).isEqualTo("fake-reply");
                assertThat(req.content()).contains("你好");
            });
        }
    }

    @Test
    void failing_model_gives_502_but_the_message_is_kept() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 500));
             TestServer server = TestServer.start(dir, "", llmSection(llm, 10_000))) {
            TestServer.Response r = server.post("/api/message", "{\"message\": \"记住我的生日是五月三日\"}");

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.json().path("error").asText()).isEqualTo("reply_failed");
            assertThat(r.json().path("detail").asText()).contains("stored");
            assertThat(server.engram.storage().messages().recent("default", 5))
                    .extracting(m -> m.text()).containsExactly("记住我的生日是五月三日");
        }
    }

    @Test
    void slow_model_gives_504_after_the_reply_timeout() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.fixed(Duration.ofSeconds(5)));
             TestServer server = TestServer.start(dir, "", llmSection(llm, 300))) {
            TestServer.Response r = server.post("/api/message", "{\"message\": \"hi\"}");

            assertThat(r.status()).isEqualTo(504);
            assertThat(r.json().path("error").asText()).isEqualTo("reply_timeout");
        }
    }
}
