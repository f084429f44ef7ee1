package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;
import dev.engram.llm.openai.internal.ChatMessage;
import dev.engram.model.ChatMessage.Role;

/**
 * The OpenAI-compatible proxy driven by the official OpenAI Java SDK over real sockets, with the fake LLM
 * (a real HTTP server speaking OpenAI) as the upstream.
 */
class OpenAiProxySdkTest {
    private static final String CLIENT_MODEL = "client-model";
    private static final String ANSWER = "好的，我记住了。"; // what the fake answers to a reply

    @TempDir
    Path dir;

    /** [llm] pointing at the fake; memory calls use their own model names so they are told apart. */
    private static String upstream(FakeLlmServer llm, String extra) {
        return """
                [llm]
                provider = "openai"
                base_url = "%s"
                connect_timeout_ms = 2000
                request_timeout_ms = 10000
                [llm.models]
                reply = "fake-reply"
                utils = "fake-memory"
                utils_small = "fake-memory"
                [recall]
                llm_mode = "off"
                [tasks]
                drain_deadline_ms = 200
                %s
                """.formatted(llm.baseUrl(), extra);
    }

    private static OpenAIClient sdk(TestServer server, String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(server.uri("/v1").toString()).apiKey(apiKey)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @SuppressWarnings("deprecation") // "user" is what AstrBot and most bots still send to name the conversation
    private static ChatCompletionCreateParams.Builder ask(String user, String text) {
        return ChatCompletionCreateParams.builder().model(CLIENT_MODEL).addSystemMessage("你是一个友好的助手。")
                .addUserMessage(text).user(user);
    }

    private static List<FakeLlmServer.RecordedRequest> proxied(FakeLlmServer llm) {
        return llm.recentRequests().stream().filter(r -> r.model().equals(CLIENT_MODEL)).toList();
    }

    private static JsonNode search(TestServer server, String chat, String q) throws Exception {
        return server.get("/api/memory/search?chat_id=" + chat + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                .json().path("memories");
    }

    @Test
    void memories_of_earlier_turns_reach_the_upstream_as_a_system_message_and_both_sides_are_stored() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant());
             TestServer server = TestServer.start(dir, "", upstream(llm, ""))) {
            OpenAIClient client = sdk(server, "sk-anything");
            ChatCompletion first = client.chat().completions().create(ask("alice", "记住：我对花生过敏").build());
            assertThat(first.choices().get(0).message().content()).contains(ANSWER);
            assertThat(first.model()).isEqualTo(CLIENT_MODEL); // the upstream's answer, unchanged
            server.awaitIngestIdle();

            ChatCompletion second = client.chat().completions().create(ask("alice", "我对什么过敏？").build());

            assertThat(second.choices().get(0).message().content()).contains(ANSWER);
            FakeLlmServer.RecordedRequest seen = proxied(llm).getLast();
            assertThat(seen.messages()).extracting(ChatMessage::role).containsExactly("system", "system", "user");
            assertThat(seen.messages().get(0).content()).isEqualTo("你是一个友好的助手。"); // the client's own first
            assertThat(seen.messages().get(1).content()).contains("花生"); // then what Engram remembered
            assertThat(seen.messages().get(2).content()).isEqualTo("我对什么过敏？");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    server.engram.storage().messages().recent("alice", 10))
                    .extracting(m -> m.role() + ":" + m.text())
                    .containsExactly(Role.USER + ":记住：我对花生过敏", Role.ASSISTANT + ":" + ANSWER,
                            Role.USER + ":我对什么过敏？", Role.ASSISTANT + ":" + ANSWER));
            server.awaitIngestIdle();
            assertThat(search(server, "alice", "花生").toString()).contains("花生");
            assertThat(search(server, "bob", "花生")).isEmpty(); // another user is another chat
        }
    }

    @Test
    void a_stream_is_passed_through_chunk_by_chunk_before_the_upstream_has_finished() throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.instant().withStreaming(4, Duration.ofMillis(5)).withMaxHang(Duration.ofSeconds(10));
        try (FakeLlmServer llm = FakeLlmServer.start(0, profile);
             TestServer server = TestServer.start(dir, "", upstream(llm, ""))) {
            CountDownLatch release = llm.holdStreams();
            StringBuilder text = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> stream = sdk(server, "k").chat().completions()
                    .createStreaming(ask("carol", "给我讲个笑话").build())) {
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                ChatCompletionChunk first = chunks.next();
                // the upstream holds the rest of its stream until released: this chunk was relayed, not buffered
                assertThat(llm.streamsFinished()).isZero();
                first.choices().getFirst().delta().content().ifPresent(text::append);
                release.countDown();
                chunks.forEachRemaining(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
            assertThat(text.toString()).isEqualTo(ANSWER);
            assertThat(llm.streamsFinished()).isEqualTo(1);
            assertThat(proxied(llm).getLast().stream()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    server.engram.storage().messages().recent("carol", 10))
                    .extracting(m -> m.role() + ":" + m.text())
                    .containsExactly(Role.USER + ":给我讲个笑话", Role.ASSISTANT + ":" + ANSWER));
        }
    }

    @Test
    void a_stream_whose_upstream_falls_silent_is_cut_off_after_the_request_timeout() throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.instant().withMaxHang(Duration.ofSeconds(60));
        try (FakeLlmServer llm = FakeLlmServer.start(0, profile);
             TestServer server = TestServer.start(dir, "", upstream(llm, "")
                     .replace("request_timeout_ms = 10000", "request_timeout_ms = 400"))) {
            llm.holdStreams(); // never released: the upstream sends its first event, then nothing
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(server.uri("/v1/chat/completions"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"client-model\",\"stream\":true,"
                            + "\"user\":\"kim\",\"messages\":[{\"role\":\"user\",\"content\":\"讲个故事\"}]}")).build();
            long start = System.nanoTime();
            List<String> lines = server.client.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines()).body().toList();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(lines).anyMatch(l -> l.startsWith("data: {")).doesNotContain("data: [DONE]");
            assertProxyCounted(server, "upstream_error");
            assertThat(server.engram.storage().messages().recent("kim", 10)).extracting(m -> m.text())
                    .containsExactly("讲个故事"); // the turn is kept; no half reply is
        }
    }

    @Test
    void upstream_errors_come_back_with_their_status_and_the_turn_is_still_remembered() throws Exception {
        try (FakeLlmServer limited = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 429));
             TestServer server = TestServer.start(dir, "", upstream(limited, ""))) {
            assertThatThrownBy(() -> sdk(server, "k").chat().completions().create(ask("dave", "记住：我住在杭州").build()))
                    .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
            TestServer.Response raw = server.post("/v1/chat/completions",
                    "{\"model\":\"client-model\",\"user\":\"dave\",\"messages\":[{\"role\":\"user\",\"content\":\"再试一次\"}]}");
            assertThat(raw.status()).isEqualTo(429);
            assertThat(raw.json().path("error").path("message").asText()).isEqualTo("injected failure 429"); // the upstream's body
            assertThat(server.engram.storage().messages().recent("dave", 10)).extracting(m -> m.text())
                    .containsExactly("记住：我住在杭州", "再试一次"); // no reply stored: there was none
        }
        try (FakeLlmServer broken = FakeLlmServer.start(0, FakeLlmProfile.instant().withFailureRate(1.0, 500));
             TestServer server = TestServer.start(dir.resolve("b"), "", upstream(broken, ""))) {
            assertThatThrownBy(() -> sdk(server, "k").chat().completions().create(ask("erin", "你好").build()))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            assertProxyCounted(server, "upstream_error");
        }
    }

    @Test
    void an_upstream_that_is_down_is_a_502_at_once_for_plain_and_streamed_calls() throws Exception {
        FakeLlmServer gone = FakeLlmServer.start(0, FakeLlmProfile.instant());
        gone.close(); // nothing listens on its port any more
        try (TestServer server = TestServer.start(dir, "", upstream(gone, ""))) {
            OpenAIClient client = sdk(server, "k");
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.chat().completions().create(ask("frank", "在吗").build()))
                    .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
            assertThatThrownBy(() -> {
                try (var s = client.chat().completions().createStreaming(ask("frank", "在吗？").build())) {
                    s.stream().forEach(c -> { });
                }
            }).isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // refused, not hung
            TestServer.Response raw = server.post("/v1/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"喂\"}]}");
            assertThat(raw.json().path("error").path("code").asText()).isEqualTo("upstream_unreachable");
        }
    }

    @Test
    void slow_or_failing_memory_never_fails_the_call() throws Exception {
        // LLM-assisted recall inline, its model hanging or failing: recall gives up at its 300 ms deadline
        String inline = "[recall]\nllm_mode = \"inline\"\ntimeout_ms = 300\n";
        for (FakeLlmProfile.Behavior memory : List.of(
                new FakeLlmProfile.Behavior(LatencySpec.fixed(Duration.ZERO), 1.0, FakeLlmProfile.Failure.hang()),
                new FakeLlmProfile.Behavior(LatencySpec.fixed(Duration.ZERO), 1.0, FakeLlmProfile.Failure.status(500)))) {
            FakeLlmProfile profile = FakeLlmProfile.instant().forModel("fake-memory", memory).withMaxHang(Duration.ofSeconds(60));
            Path data = dir.resolve(memory.failure().getClass().getSimpleName());
            try (FakeLlmServer llm = FakeLlmServer.start(0, profile);
                 TestServer server = TestServer.start(data, "", upstream(llm, "").replace("[recall]\nllm_mode = \"off\"\n", inline))) {
                OpenAIClient client = sdk(server, "k");
                client.models().list(); // warms the SDK, so the bound below measures the call, not class loading
                for (String text : List.of("记住：我的生日是五月三日", "我的生日是哪天？")) {
                    long start = System.nanoTime();
                    ChatCompletion c = client.chat().completions().create(ask("gina", text).build());
                    assertThat(c.choices().get(0).message().content()).contains(ANSWER);
                    // a hung memory call holds for 60 s; the answer comes after the 300 ms recall deadline
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
                }
            }
        }
    }

    @Test
    void the_api_token_guards_v1_and_is_what_the_sdk_sends_as_its_key() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant());
             TestServer server = TestServer.start(dir, "api_token = \"s3cret-token\"", upstream(llm, ""))) {
            assertThatThrownBy(() -> sdk(server, "wrong-key").chat().completions().create(ask("hank", "你好").build()))
                    .isInstanceOf(UnauthorizedException.class);
            TestServer.Response missing = server.post("/v1/chat/completions", "{}");
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.json().path("error").path("code").asText()).isEqualTo("invalid_api_key");
            assertThat(server.get("/v1/models").status()).isEqualTo(401);
            assertThat(proxied(llm)).isEmpty(); // refused before anything was stored or forwarded
            assertThat(server.messageCount()).isZero();

            ChatCompletion ok = sdk(server, "s3cret-token").chat().completions().create(ask("hank", "你好").build());
            assertThat(ok.choices().get(0).message().content()).contains(ANSWER);
            // Engram's token stays with Engram; the upstream gets its own key (none configured here)
            assertThat(proxied(llm).getLast().authorization()).isNull();
        }
    }

    @Test
    void bad_requests_are_4xx_in_openais_error_shape() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant());
             TestServer server = TestServer.start(dir, "", upstream(llm, ""))) {
            for (String body : List.of("{nope", "[]", "{\"model\":\"m\"}", "{\"model\":\"m\",\"messages\":[]}",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "{\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
                TestServer.Response r = server.post("/v1/chat/completions", body);
                assertThat(r.status()).as(body).isEqualTo(400);
                assertThat(r.contentType()).startsWith("application/json");
                JsonNode error = r.json().path("error");
                assertThat(error.path("message").asText()).as(body).isNotBlank();
                assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
                assertThat(error.has("code")).isTrue();
            }
            TestServer.Response unknown = server.post("/v1/completions", "{}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("error").path("code").asText()).isEqualTo("unknown_url");
            assertThat(proxied(llm)).isEmpty();
            assertProxyCounted(server, "bad_request");
        }
    }

    @Test
    void a_retried_request_is_stored_once_and_the_chat_header_and_speaker_name_are_honoured() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant());
             TestServer server = TestServer.start(dir, "", upstream(llm, ""))) {
            OpenAIClient client = sdk(server, "k");
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(CLIENT_MODEL)
                    .addMessage(ChatCompletionUserMessageParam.builder().content("记住：周五团建").name("小林").build())
                    .putAdditionalHeader("X-Engram-Chat", "qq:group:42").build();
            client.chat().completions().create(params);
            client.chat().completions().create(params); // the client's retry of the very same request
            String big = "很长的历史。".repeat(20_000); // ~360 KB: beyond the API's 64 KB, within [proxy] max_body_bytes
            client.chat().completions().create(params.toBuilder().addSystemMessage(big).build());

            assertThat(proxied(llm)).hasSize(3); // every call is answered
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    server.engram.storage().messages().recent("qq:group:42", 10))
                    .extracting(m -> m.role() + ":" + m.text())
                    .containsExactly(Role.USER + ":记住：周五团建", Role.ASSISTANT + ":" + ANSWER,
                            Role.USER + ":记住：周五团建", Role.ASSISTANT + ":" + ANSWER)); // the third is a new history
            assertThat(server.engram.storage().messages().recent("qq:group:42", 10).getFirst().displayName())
                    .isEqualTo("小林");
        }
    }

    @Test
    void models_are_listed_in_openais_shape() throws Exception {
        try (FakeLlmServer llm = FakeLlmServer.start(0, FakeLlmProfile.instant());
             TestServer server = TestServer.start(dir, "", upstream(llm, "[proxy]\nmodel = \"pinned-model\"\n"))) {
            assertThat(sdk(server, "k").models().list().data()).extracting(m -> m.id())
                    .containsExactly("pinned-model", "fake-reply");
            // with [proxy] model set, the upstream gets that model whatever the client asked for
            sdk(server, "k").chat().completions().create(ask("ivy", "你好").build());
            assertThat(llm.recentRequests()).extracting(FakeLlmServer.RecordedRequest::model).contains("pinned-model")
                    .doesNotContain(CLIENT_MODEL);
        }
    }

    @Test
    void offline_the_offline_provider_answers_as_a_completion_and_as_a_chunk_stream() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            OpenAIClient client = sdk(server, "k");
            ChatCompletion c = client.chat().completions().create(ask("jack", "记住：我喜欢爬山").build());
            assertThat(c._object_().toString()).contains("chat.completion");
            assertThat(c.choices().get(0).message().content().orElseThrow()).startsWith("[Engram 离线模式]");
            server.awaitIngestIdle();

            StringBuilder text = new StringBuilder();
            List<String> finishes = new java.util.ArrayList<>();
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions()
                    .createStreaming(ask("jack", "我喜欢什么运动？").build())) {
                s.stream().forEach(chunk -> chunk.choices().forEach(ch -> {
                    ch.delta().content().ifPresent(text::append);
                    ch.finishReason().ifPresent(f -> finishes.add(f.toString()));
                }));
            }
            assertThat(text.toString()).startsWith("[Engram 离线模式]").contains("爬山"); // the recalled memory
            assertThat(finishes).containsExactly("stop");
            TestServer.Response raw = server.post("/v1/chat/completions",
                    "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"在吗\"}]}");
            assertThat(raw.contentType()).startsWith("text/event-stream");
            assertThat(raw.body().strip()).endsWith("data: [DONE]");
        }
    }

    /** The proxy's calls show in {@code /metrics} (by outcome) and in {@code /api/status} (per surface). */
    private static void assertProxyCounted(TestServer server, String outcome) throws Exception {
        String metrics = server.get("/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("engram_surface_requests_seconds_count")
                && l.contains("surface=\"openai\"") && l.contains("outcome=\"" + outcome + "\""))).isNotEmpty();
        JsonNode openai = server.get("/api/status").json().path("surfaces").path("openai");
        assertThat(openai.path("requests").asLong()).isPositive();
        assertThat(openai.path("errors").asLong()).isPositive();
    }
}
