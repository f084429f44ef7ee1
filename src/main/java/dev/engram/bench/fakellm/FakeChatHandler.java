package dev.engram.bench.fakellm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.engram.llm.openai.internal.ChatCompletionRequest;
import dev.engram.llm.openai.internal.ChatCompletionResponse;
import dev.engram.llm.openai.internal.ChatMessage;
import dev.engram.bench.fakellm.ErrorResponse;
import dev.engram.llm.openai.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.llm.offline.OfflineAnswers;

/**
 * The request handler of {@link FakeLlmServer}. Steps per exchange: 1. validate method, path and body;
 * 2. recognise the prompt; 3. draw a decision from the sampler; 4. wait the latency (ends early on
 * shutdown); 5. answer (as server-sent events for {@code "stream": true}), or inject the failure.
 *
 * <p>Concurrency: runs on one virtual thread per exchange; counters are atomics; {@code shutdown} opens a
 * latch that every wait observes.
 */
final class FakeChatHandler implements HttpHandler {

    static final String PATH = "/v1/chat/completions";
    static final String PLAIN_ANSWER = "好的，我记住了。";
    static final int RECENT_KEPT = 256;
    private static final byte[] BROKEN_BODY = "{\"id\": \"chatcmpl-broken\", \"choices\": [".getBytes(StandardCharsets.UTF_8);

    private final FakeLlmProfile profile;
    private final FakeLlmSampler sampler;
    private final PromptMatcher prompts;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicReference<FakeLlmServer.RecordedRequest> last = new AtomicReference<>();
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    private final ArrayDeque<FakeLlmServer.RecordedRequest> recent = new ArrayDeque<>(); // guarded by itself
    private final AtomicLong streamsFinished = new AtomicLong();

    FakeChatHandler(FakeLlmProfile profile, Prompts prompts) {
        this.profile = profile;
        this.sampler = profile.newSampler();
        this.prompts = new PromptMatcher(prompts);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                sendError(exchange, 404, "no such endpoint: " + exchange.getRequestURI().getPath(), "not_found");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendError(exchange, 405, "use POST", "invalid_request_error");
                return;
            }
            int now = inFlight.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try {
                requests.incrementAndGet();
                chat(exchange, body);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private void chat(HttpExchange exchange, byte[] body) throws IOException {
        ChatCompletionRequest request;
        try {
            request = Json.MAPPER.readValue(body, ChatCompletionRequest.class);
        } catch (IOException e) {
            sendError(exchange, 400, "request body is not valid JSON", "invalid_request_error");
            return;
        }
        if (request == null || request.model() == null || request.model().isBlank()) {
            sendError(exchange, 400, "model is required", "invalid_request_error");
            return;
        }
        String content = request.lastUserContent();
        Optional<PromptMatcher.Match> match = prompts.match(content);
        PromptId prompt = match.map(PromptMatcher.Match::id).orElse(null);
        FakeLlmServer.RecordedRequest recorded = new FakeLlmServer.RecordedRequest(request.model(),
                exchange.getRequestHeaders().getFirst("Authorization"), prompt, content,
                request.messages() == null ? List.of() : List.copyOf(request.messages()),
                Boolean.TRUE.equals(request.stream()));
        last.set(recorded);
        synchronized (recent) {
            if (recent.size() == RECENT_KEPT) recent.removeFirst();
            recent.addLast(recorded);
        }
        FakeLlmSampler.Decision decision = sampler.next(request.model(), prompt);
        if (await(decision.latency())) {
            return; // shutting down
        }
        if (decision.failure() != null) {
            failures.incrementAndGet();
            fail(exchange, decision.failure());
            return;
        }
        String answer = match.filter(m -> m.id() != PromptId.REPLY)
                .map(m -> OfflineAnswers.answer(m.id(), m.variables()))
                .orElse(PLAIN_ANSWER);
        if (Boolean.TRUE.equals(request.stream())) {
            stream(exchange, request.model(), answer);
            return;
        }
        send(exchange, 200, json(completion(request.model(), content, answer)));
    }

    /** Sends {@code answer} as chat.completion.chunk events; the first content event goes out at once. */
    private void stream(HttpExchange exchange, String model, String answer) throws IOException {
        FakeLlmProfile.Streaming shape = profile.stream();
        String id = "chatcmpl-fake-" + requests.get();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        List<String> pieces = FakeStreamEvents.split(answer, shape.chunks());
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0 && await(shape.interval())) {
                return;
            }
            FakeStreamEvents.write(out, FakeStreamEvents.content(id, model, i == 0, pieces.get(i)));
            if (i == 0 && awaitHold()) {
                return;
            }
        }
        FakeStreamEvents.write(out, FakeStreamEvents.finish(id, model));
        FakeStreamEvents.writeDone(out);
        streamsFinished.incrementAndGet();
    }

    /** @return true when the server is closing; otherwise waits while a hold is set (at most the max hang) */
    private boolean awaitHold() {
        CountDownLatch gate = hold.get();
        if (gate == null) {
            return closing.getCount() == 0;
        }
        try {
            gate.await(profile.maxHang().toNanos(), TimeUnit.NANOSECONDS);
            return closing.getCount() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void fail(HttpExchange exchange, FakeLlmProfile.Failure failure) throws IOException {
        switch (failure) {
            case FakeLlmProfile.Failure.Status s -> {
                if (s.code() == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
                String type = s.code() == 429 ? "rate_limit_error" : s.code() >= 500 ? "server_error"
                        : "invalid_request_error";
                sendError(exchange, s.code(), "injected failure " + s.code(), type);
            }
            case FakeLlmProfile.Failure.Hang h -> await(profile.maxHang());
            case FakeLlmProfile.Failure.MalformedBody m ->
                    send(exchange, 200, BROKEN_BODY);
        }
    }

    private ChatCompletionResponse completion(String model, String prompt, String answer) {
        int promptTokens = OfflineAnswers.estimateTokens(prompt);
        int completionTokens = OfflineAnswers.estimateTokens(answer);
        return new ChatCompletionResponse("chatcmpl-fake-" + requests.get(), "chat.completion",
                Instant.now().getEpochSecond(), model,
                List.of(new ChatCompletionResponse.Choice(0, new ChatMessage("assistant", answer), "stop")),
                new ChatCompletionResponse.Usage(promptTokens, completionTokens, promptTokens + completionTokens));
    }

    /** @return true when the wait ended because the server is closing */
    private boolean await(Duration d) {
        try {
            return d.isZero() ? closing.getCount() == 0 : closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void sendError(HttpExchange exchange, int status, String message, String type) throws IOException {
        send(exchange, status, json(ErrorResponse.of(message, type)));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    void shutdown() {
        closing.countDown();
        CountDownLatch gate = hold.getAndSet(null);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Holds every stream after its first content event until the returned latch is counted down. */
    CountDownLatch holdStreams() {
        CountDownLatch gate = new CountDownLatch(1);
        hold.set(gate);
        return gate;
    }

    long streamsFinished() {
        return streamsFinished.get();
    }

    long requestCount() {
        return requests.get();
    }

    long failuresInjected() {
        return failures.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }

    List<FakeLlmServer.RecordedRequest> recentRequests() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    Optional<FakeLlmServer.RecordedRequest> lastRequest() {
        return Optional.ofNullable(last.get());
    }
}
