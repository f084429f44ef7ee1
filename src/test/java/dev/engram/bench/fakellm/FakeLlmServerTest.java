package dev.engram.bench.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.llm.openai.internal.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;

/** The fake server spoken to with a plain HTTP client, as any OpenAI client would. */
class FakeLlmServerTest {

    private FakeLlmServer server;
    private HttpClient http;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start(0, FakeLlmProfile.instant());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(String model, String content) throws Exception {
        return Json.MAPPER.writeValueAsString(Map.of("model", model,
                "messages", java.util.List.of(Map.of("role", "user", "content", content))));
    }

    @Test
    void answers_in_the_chat_completion_shape() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", chat("m1", "随便聊聊"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("id").asText()).startsWith("chatcmpl-");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("model").asText()).isEqualTo("m1");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("好的，我记住了。");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
        assertThat(server.baseUrl().toString()).endsWith("/v1");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void recognised_memory_prompts_get_contract_answers() throws Exception {
        String rendered = Prompts.loadDefault().render(PromptId.MEMORY_NEED_BUILD, Map.of("text", "记住我对花生过敏"));

        JsonNode body = Json.MAPPER.readTree(post("/v1/chat/completions", chat("m", rendered)).body());

        assertThat(body.path("choices").path(0).path("message").path("content").asText()).isEqualTo("1");
        assertThat(server.lastRequest().orElseThrow().prompt()).isEqualTo(PromptId.MEMORY_NEED_BUILD);
    }

    @Test
    void rejects_bad_requests_with_openai_error_bodies() throws Exception {
        HttpResponse<String> notJson = post("/v1/chat/completions", "{nope");
        HttpResponse<String> noModel = post("/v1/chat/completions", "{\"messages\": []}");
        HttpResponse<String> wrongPath = post("/v1/completions", chat("m", "x"));

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(notJson.body()).path("error").path("message").asText()).isNotBlank();
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(wrongPath.statusCode()).isEqualTo(404);
    }

    @Test
    void streams_the_answer_as_chunk_events_ending_with_done() throws Exception {
        String body = Json.MAPPER.writeValueAsString(Map.of("model", "m", "stream", true,
                "messages", java.util.List.of(Map.of("role", "system", "content", "你是助手"),
                        Map.of("role", "user", "content", "随便聊聊"))));
        HttpResponse<String> response = post("/v1/chat/completions", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        java.util.List<String> data = response.body().lines().filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6)).toList();
        assertThat(data).hasSize(6).last().isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String event : data.subList(0, 4)) {
            JsonNode chunk = Json.MAPPER.readTree(event);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            text.append(chunk.path("choices").path(0).path("delta").path("content").asText());
        }
        assertThat(text.toString()).isEqualTo("好的，我记住了。");
        assertThat(Json.MAPPER.readTree(data.get(4)).path("choices").path(0).path("finish_reason").asText())
                .isEqualTo("stop");
        FakeLlmServer.RecordedRequest recorded = server.lastRequest().orElseThrow();
        assertThat(recorded.stream()).isTrue();
        assertThat(recorded.messages()).extracting(m -> m.role()).containsExactly("system", "user");
        assertThat(server.streamsFinished()).isEqualTo(1);
    }

    @Test
    void a_held_stream_sends_its_first_event_and_waits_for_release() throws Exception {
        java.util.concurrent.CountDownLatch release = server.holdStreams();
        String body = Json.MAPPER.writeValueAsString(Map.of("model", "m", "stream", true,
                "messages", java.util.List.of(Map.of("role", "user", "content", "随便聊聊"))));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        java.util.Iterator<String> lines = response.body().iterator();

        assertThat(lines.next()).startsWith("data: {");
        assertThat(server.streamsFinished()).isZero();
        release.countDown();
        java.util.List<String> rest = new java.util.ArrayList<>();
        lines.forEachRemaining(rest::add);
        assertThat(rest).contains("data: [DONE]");
        assertThat(server.streamsFinished()).isEqualTo(1);
    }
}
