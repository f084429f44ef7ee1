package dev.engram.llm.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.engram.common.Failures;
import dev.engram.llm.openai.internal.ChatCompletionRequest;
import dev.engram.llm.openai.internal.ChatMessage;
import dev.engram.llm.openai.internal.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import dev.engram.llm.LlmClient;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.LlmClientErrorException;
import dev.engram.llm.LlmExceptionMapper;
import dev.engram.llm.LlmRequest;
import dev.engram.llm.LlmResponse;

/**
 * {@link LlmClient} for any OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek, SiliconFlow,
 * Ollama, vLLM…): {@code POST <baseUrl>/chat/completions} with the rendered prompt as one user message,
 * the slot's model, temperature and {@code max_tokens}; never streaming.
 *
 * <p>Algorithm of {@link #complete}:
 * <ol>
 *   <li>Start the deadline ({@link OpenAiSettings#requestTimeout()}): it covers waiting for a permit and
 *       the HTTP exchange.</li>
 *   <li>Acquire a permit of the slot's {@link AsyncBulkhead}: reply calls have their own
 *       ({@link OpenAiSettings#maxConcurrentReplyCalls()}), memory calls share the other
 *       ({@link OpenAiSettings#maxConcurrentCalls()}), so slow memory work never queues a reply;
 *       callers queue without holding a thread.</li>
 *   <li>Send asynchronously with the remaining time as the HTTP timeout; release the permit when the
 *       exchange ends in any way.</li>
 *   <li>On the deadline: stop waiting for the permit, cancel the exchange, fail with
 *       {@link LlmTimeoutException}. Statuses and I/O errors map through {@link LlmExceptionMapper}.</li>
 * </ol>
 * It never retries. Thread-safe: one instance serves all callers.
 */
public final class OpenAiLlmClient implements LlmClient {

    private final OpenAiSettings settings;
    private final HttpClient http;
    private final ExecutorService ownedExecutor;
    private final Executor callbacks;
    private final AsyncBulkhead memoryCalls;
    private final AsyncBulkhead replyCalls;
    private final URI endpoint;

    /** Creates a client with its own {@link HttpClient} on virtual threads, closed by {@link #close()}. */
    public OpenAiLlmClient(OpenAiSettings settings) {
        this(settings, null, Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("llm-http-", 0).factory()));
    }

    /**
     * @param settings endpoint, models, timeouts and concurrency limit
     * @param http     a shared client (its connect timeout is its own); not closed by {@link #close()}
     */
    public OpenAiLlmClient(OpenAiSettings settings, HttpClient http) {
        this(settings, Objects.requireNonNull(http, "http"), null);
    }

    private OpenAiLlmClient(OpenAiSettings settings, HttpClient http, ExecutorService ownedExecutor) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownedExecutor = ownedExecutor;
        this.http = http != null ? http : HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .executor(ownedExecutor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Executor async = ownedExecutor != null ? ownedExecutor : this.http.executor().orElse(ForkJoinPool.commonPool());
        this.callbacks = task -> {
            try {
                async.execute(task);
            } catch (RejectedExecutionException closing) {
                task.run(); // after close(): still complete the caller's future
            }
        };
        this.memoryCalls = new AsyncBulkhead(settings.maxConcurrentCalls());
        this.replyCalls = new AsyncBulkhead(settings.maxConcurrentReplyCalls());
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    }

    @Override
    public CompletableFuture<LlmResponse> complete(LlmRequest request) {
        if (request == null) {
            return CompletableFuture.failedFuture(
                    new LlmClientErrorException("llm.unknown", "?", 0, "request must not be null", null));
        }
        String operation = "llm." + request.prompt().key();
        String model = settings.model(request.slot());
        try {
            return call(operation, model, request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(LlmExceptionMapper.fromThrowable(operation, model, e));
        }
    }

    private CompletableFuture<LlmResponse> call(String operation, String model, LlmRequest request) {
        byte[] body = body(model, request);
        long start = System.nanoTime();
        long timeoutNanos = settings.requestTimeout().toNanos();
        CompletableFuture<LlmResponse> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<HttpResponse<byte[]>>> exchange = new AtomicReference<>();
        AsyncBulkhead bulkhead = request.slot() == ModelSlot.REPLY ? replyCalls : memoryCalls;
        CompletableFuture<AsyncBulkhead.Permit> permit = bulkhead.acquire();
        permit.thenAccept(p -> {
            long remaining = timeoutNanos - (System.nanoTime() - start);
            if (result.isDone() || remaining <= 0) {
                p.release();
                return;
            }
            try {
                CompletableFuture<HttpResponse<byte[]>> sent =
                        http.sendAsync(httpRequest(body, Duration.ofNanos(remaining)),
                                HttpResponse.BodyHandlers.ofByteArray());
                exchange.set(sent);
                sent.whenComplete((response, failure) -> {
                    p.release();
                    if (failure != null) {
                        Throwable cause = Failures.unwrap(failure);
                        if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                            cause = describeTimeout(bulkhead, false, start); // the HTTP timeout and ours are one deadline
                        }
                        result.completeExceptionally(LlmExceptionMapper.fromThrowable(operation, model, cause));
                        return;
                    }
                    try {
                        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                        result.complete(OpenAiResponses.parse(operation, model, response, elapsed));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(LlmExceptionMapper.fromThrowable(operation, model, e));
                    }
                });
                if (result.isDone()) {
                    sent.cancel(true); // the deadline passed while we were sending
                }
            } catch (RuntimeException e) {
                p.release();
                result.completeExceptionally(LlmExceptionMapper.fromThrowable(operation, model, e));
            }
        });
        result.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        // failures are completed on our executor: the timeout fires on the JVM-wide delay thread, which
        // must not run callers' continuations
        CompletableFuture<LlmResponse> returned = result.exceptionallyComposeAsync(failure -> {
            permit.cancel(false);
            CompletableFuture<HttpResponse<byte[]>> sent = exchange.get();
            if (sent != null) {
                sent.cancel(true);
            }
            Throwable cause = failure instanceof TimeoutException ? describeTimeout(bulkhead, sent == null, start) : failure;
            return CompletableFuture.failedFuture(LlmExceptionMapper.fromThrowable(operation, model, cause));
        }, callbacks);
        returned.whenComplete((r, e) -> {
            if (returned.isCancelled()) {
                result.cancel(false); // the caller gave up: free the permit and the connection
            }
        });
        return returned;
    }

    /** Replaces the bare {@code TimeoutException} of {@code orTimeout} with one that says where time went. */
    private TimeoutException describeTimeout(AsyncBulkhead bulkhead, boolean neverSent, long start) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String where = neverSent
                ? "still waiting for one of " + bulkhead.capacity() + " concurrency permits"
                : "request sent, no answer";
        return new TimeoutException("no answer within " + settings.requestTimeout().toMillis() + " ms (" + where
                + " after " + ms + " ms; " + bulkhead.inUse() + " in flight, " + bulkhead.waiting() + " queued)");
    }

    private byte[] body(String model, LlmRequest request) {
        ChatCompletionRequest wire = new ChatCompletionRequest(model,
                List.of(new ChatMessage("user", request.renderedPrompt())), request.temperature(),
                request.maxTokens(), false);
        try {
            return Json.MAPPER.writeValueAsBytes(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise chat completion request", e);
        }
    }

    private HttpRequest httpRequest(byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("http".equals(endpoint.getScheme())) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-HTTP local servers
        }
        if (settings.hasApiKey()) {
            b.header("Authorization", "Bearer " + settings.apiKey().strip());
        }
        return b.build();
    }

    @Override
    public String name() {
        return "openai";
    }

    /** @return the settings this client was built with */
    public OpenAiSettings settings() {
        return settings;
    }

    /** Closes the owned HTTP client and its executor (a shared client is left open). Idempotent. */
    @Override
    public void close() {
        if (ownedExecutor != null) {
            http.shutdownNow();
            ownedExecutor.shutdownNow();
        }
    }
}
