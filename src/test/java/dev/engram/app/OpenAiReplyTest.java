package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;

/** The chat pipeline against the fake LLM over real HTTP: success, failure and timeout of the reply model. */
class OpenAiReplyTest {
    /** Background stores call the same slow fake; don't wait for them at shutdown (they stay in the outbox). */
    private static final String DRAIN = "[tasks]\ndrain_deadline_ms = 200\n";

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
             TestServer server = TestServer.start(dir, "", llmSection(llm, 10_000) + DRAIN)) {
            TestServer.Response r = server.post("/api/message", "{\"message\": \"你好\"}");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("reply").asText()).isEqualTo("好的，我记住了。"); // the fake's reply text
            assertThat(llm.requestCount()).isPositive();
        }
    }

    @Test
    void failing_model_gives_502_but_the_message_is_kept() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 500));
             TestServer server = TestServer.start(dir, "", llmSection(llm, 10_000) + DRAIN)) {
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
             TestServer server = TestServer.start(dir, "", llmSection(llm, 300) + DRAIN)) {
            TestServer.Response r = server.post("/api/message", "{\"message\": \"hi\"}");

            assertThat(r.status()).isEqualTo(504);
            assertThat(r.json().path("error").asText()).isEqualTo("reply_timeout");
        }
    }
}
