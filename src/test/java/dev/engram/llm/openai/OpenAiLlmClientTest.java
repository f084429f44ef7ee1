package dev.engram.llm.openai;

import dev.engram.common.Failures;
import dev.engram.common.NonRetriableException;
import dev.engram.common.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.catchThrowable;
import dev.engram.llm.LlmClientErrorException;
import dev.engram.llm.LlmException;
import dev.engram.llm.LlmRateLimitedException;
import dev.engram.llm.LlmResponse;
import dev.engram.llm.LlmResponseFormatException;
import dev.engram.llm.LlmServerException;
import dev.engram.llm.LlmTimeoutException;
import dev.engram.llm.LlmTransportException;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;

class OpenAiLlmClientTest {

    private static final Map<ModelSlot, String> MODELS = Map.of(ModelSlot.REPLY, "fake-reply",
            ModelSlot.UTILS, "fake-utils", ModelSlot.UTILS_SMALL, "fake-small");

    private final Prompts prompts = Prompts.loadDefault();
    private FakeLlmServer server;
    private OpenAiLlmClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void start(FakeLlmProfile profile, String apiKey, Duration timeout, int maxConcurrent) {
        server = FakeLlmServer.start(0, profile);
        client = new OpenAiLlmClient(new OpenAiSettings(server.baseUrl(), apiKey, MODELS, Duration.ofSeconds(2),
                timeout, maxConcurrent));
    }

    private void start(FakeLlmProfile profile) {
        start(profile, null, Duration.ofSeconds(10), 4);
    }

    private CompletableFuture<LlmResponse> reply() {
        return client.complete(prompts.request(PromptId.REPLY, ModelSlot.REPLY, Map.of("persona", "助手",
                "memory_block", "", "history", "", "message", "你好", "user_name", "小明")));
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        Throwable t = catchThrowable(f::join);
        assertThat(t).isInstanceOf(CompletionException.class);
        return t.getCause();
    }

    @Test
    void success_parses_content_model_and_usage() {
        start(FakeLlmProfile.instant());

        LlmResponse r = reply().join();

        assertThat(r.text()).isEqualTo("好的，我记住了。");
        assertThat(r.model()).isEqualTo("fake-reply");
        assertThat(r.promptTokens()).isPositive();
        assertThat(r.completionTokens()).isEqualTo(6); // the fake counts one token per Han character
        assertThat(server.lastRequest()).hasValueSatisfying(req -> {
            assertThat(req.model()).isEqualTo("fake-reply");
            assertThat(req.prompt()).isEqualTo(PromptId.REPLY);
            assertThat(req.authorization()).isNull();
        });
        assertThat(client.name()).isEqualTo("openai");
    }

    @Test
    void sends_bearer_token_when_api_key_is_set() {
        start(FakeLlmProfile.instant(), "sk-test-123", Duration.ofSeconds(10), 2);

        reply().join();

        assertThat(server.lastRequest()).hasValueSatisfying(
                req -> assertThat(req.authorization()).isEqualTo("Bearer sk-test-123"));
        assertThat(client.settings().toString()).doesNotContain("sk-test-123");
    }

    @Test
    void slot_selects_the_model() {
        start(FakeLlmProfile.instant());

        client.complete(prompts.request(PromptId.TOPIC_FIND, ModelSlot.UTILS_SMALL,
                Map.of("text", "我下周去杭州", "topic_num", "2"))).join();

        assertThat(server.lastRequest().orElseThrow().model()).isEqualTo("fake-small");
    }

    @Test
    void http_429_is_rate_limited_and_retriable() {
        start(FakeLlmProfile.instant().withFailureRate(1.0, 429));

        Throwable t = failureOf(reply());

        assertThat(t).isInstanceOf(LlmRateLimitedException.class).isInstanceOf(RetriableException.class);
        assertThat(((LlmRateLimitedException) t).retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(((LlmException) t).operation()).isEqualTo("llm.reply");
        assertThat(Failures.isRetriable(new CompletionException(t))).isTrue();
    }

    @Test
    void http_500_is_a_retriable_server_error() {
        start(FakeLlmProfile.instant().withFailureRate(1.0, 500));

        Throwable t = failureOf(reply());

        assertThat(t).isInstanceOf(LlmServerException.class).isInstanceOf(RetriableException.class);
        assertThat(((LlmServerException) t).status()).isEqualTo(500);
        assertThat(t).hasMessageContaining("injected failure 500");
    }

    @Test
    void http_400_and_401_are_not_retriable() {
        start(FakeLlmProfile.instant().withFailureRate(1.0, 400));
        assertThat(failureOf(reply())).isInstanceOf(LlmClientErrorException.class)
                .isInstanceOf(NonRetriableException.class);
        tearDown();

        start(FakeLlmProfile.instant().withFailureRate(1.0, 401));
        Throwable t = failureOf(reply());
        assertThat(t).isInstanceOf(LlmClientErrorException.class);
        assertThat(((LlmClientErrorException) t).status()).isEqualTo(401);
        assertThat(Failures.isRetriable(t)).isFalse();
    }

    @Test
    void hanging_provider_times_out_retriably() {
        start(FakeLlmProfile.instant().withFailureRate(1.0, FakeLlmProfile.Failure.hang()), null,
                Duration.ofMillis(300), 2);

        Throwable t = failureOf(reply());

        assertThat(t).isInstanceOf(LlmTimeoutException.class).hasMessageContaining("300 ms");
        assertThat(Failures.isRetriable(t)).isTrue();
    }

    @Test
    void malformed_body_is_a_format_error_retriable_a_bounded_number_of_times() {
        start(FakeLlmProfile.instant().withFailureRate(1.0, FakeLlmProfile.Failure.malformedBody()));

        Throwable t = failureOf(reply());

        assertThat(t).isInstanceOf(LlmResponseFormatException.class);
        assertThat(Failures.isRetriable(t)).isTrue();
        assertThat(Failures.attemptLimit(t)).isEqualTo(LlmResponseFormatException.MAX_ATTEMPTS);
        assertThat(Failures.attemptLimit(new RuntimeException("wrapper", t))).as("a wrapper keeps the limit")
                .isEqualTo(LlmResponseFormatException.MAX_ATTEMPTS);
    }

    @Test
    void refused_connection_is_a_retriable_transport_error() {
        start(FakeLlmProfile.instant());
        server.close();

        Throwable t = failureOf(reply());

        assertThat(t).isInstanceOf(LlmTransportException.class);
        assertThat(Failures.isRetriable(t)).isTrue();
    }

    @Test
    void bulkhead_limits_calls_in_flight() {
        start(FakeLlmProfile.fixed(Duration.ofMillis(150)), null, Duration.ofSeconds(20), 3);

        List<CompletableFuture<LlmResponse>> calls = IntStream.range(0, 12).mapToObj(i -> reply()).toList();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        assertThat(server.requestCount()).isEqualTo(12);
        assertThat(server.maxConcurrent()).isBetween(2, 3);
    }

    @Test
    void slow_memory_calls_never_take_the_reply_calls_permits() {
        // memory calls hang and hold every one of their 2 permits; replies have permits of their own
        server = FakeLlmServer.start(0, FakeLlmProfile.instant()
                .forModel("fake-utils", FakeLlmProfile.Behavior.of(LatencySpec.fixed(Duration.ofSeconds(30)))));
        client = new OpenAiLlmClient(new OpenAiSettings(server.baseUrl(), null, MODELS, Duration.ofSeconds(2),
                Duration.ofSeconds(20), 2, 2));
        List<CompletableFuture<LlmResponse>> memory = IntStream.range(0, 6).mapToObj(i -> client.complete(
                prompts.request(PromptId.TOPIC_FIND, ModelSlot.UTILS, Map.of("text", "小林：我对花生过敏", "topic_num", "3"))))
                .toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requestCount() == 2); // both memory permits taken

        List<CompletableFuture<LlmResponse>> replies = IntStream.range(0, 4).mapToObj(i -> reply()).toList();
        for (CompletableFuture<LlmResponse> r : replies) {
            assertThat(r.orTimeout(10, TimeUnit.SECONDS).join().text()).isEqualTo("好的，我记住了。");
        }
        assertThat(memory).noneMatch(CompletableFuture::isDone);
        memory.forEach(f -> f.cancel(true));
    }

    @Test
    void without_a_tight_bulkhead_calls_overlap() {
        start(FakeLlmProfile.fixed(Duration.ofMillis(300)), null, Duration.ofSeconds(20), 64);

        List<CompletableFuture<LlmResponse>> calls = IntStream.range(0, 12).mapToObj(i -> reply()).toList();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        assertThat(server.maxConcurrent()).isGreaterThan(3);
    }

    @Test
    void waiting_for_a_permit_counts_toward_the_timeout() {
        // one permit; each call needs 400 ms of the 700 ms budget: the second waits ~400 ms for the permit,
        // so it runs out of time, although a timeout that ignored the wait would let it finish
        start(FakeLlmProfile.fixed(Duration.ofMillis(400)), null, Duration.ofMillis(700), 1);

        CompletableFuture<LlmResponse> first = reply();
        CompletableFuture<LlmResponse> queued = reply();

        assertThat(first.join().text()).isEqualTo("好的，我记住了。");
        assertThat(failureOf(queued)).isInstanceOf(LlmTimeoutException.class).hasMessageContaining("700 ms");
    }

    @Test
    void abandoned_call_returns_its_permit() {
        start(FakeLlmProfile.instant().withFailureRate(1.0, FakeLlmProfile.Failure.hang()), null,
                Duration.ofMillis(300), 1);
        CompletableFuture<LlmResponse> hanging = reply();
        assertThat(failureOf(hanging)).isInstanceOf(LlmTimeoutException.class)
                .hasMessageContaining("request sent, no answer");

        // the permit came back when the hanging call was abandoned: the next call is sent (and hangs too)
        assertThat(failureOf(reply())).isInstanceOf(LlmTimeoutException.class);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void closing_the_client_fails_pending_and_later_calls_with_llm_exceptions() {
        start(FakeLlmProfile.fixed(Duration.ofSeconds(5)), null, Duration.ofSeconds(20), 1);
        CompletableFuture<LlmResponse> inFlight = reply();
        CompletableFuture<LlmResponse> queued = reply();

        client.close();

        assertThat(failureOf(inFlight)).isInstanceOf(LlmException.class);
        assertThat(failureOf(queued)).isInstanceOf(LlmException.class);
        assertThat(failureOf(reply())).isInstanceOf(LlmException.class);
    }

    @Test
    void serves_hundreds_of_concurrent_calls() {
        start(FakeLlmProfile.fixed(Duration.ofMillis(300)), null, Duration.ofSeconds(30), 400);

        List<CompletableFuture<LlmResponse>> calls = IntStream.range(0, 300).mapToObj(i -> reply()).toList();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        assertThat(calls).allSatisfy(c -> assertThat(c.join().text()).isEqualTo("好的，我记住了。"));
        assertThat(server.maxConcurrent()).isGreaterThan(100);
    }
}
