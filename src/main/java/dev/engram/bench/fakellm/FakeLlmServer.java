package dev.engram.bench.fakellm;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.engram.llm.PromptId;
import dev.engram.llm.openai.internal.ChatMessage;
import dev.engram.llm.Prompts;

/**
 * A real HTTP server on {@code 127.0.0.1} that speaks the OpenAI chat-completions protocol
 * ({@code POST /v1/chat/completions}) with the latency and failures of a {@link FakeLlmProfile}. Memory
 * prompts it recognises get contract-valid answers computed like {@link OfflineLlmClient}'s; replies and
 * unrecognised prompts get {@code 好的，我记住了。}. Tests and {@code engram bench} point
 * {@link OpenAiLlmClient} at {@link #baseUrl()}.
 *
 * <p>Each exchange runs on its own virtual thread, so latency and hangs block no platform thread and
 * hundreds of calls can be in flight; {@link #maxConcurrent()} records the most seen at once.
 * Thread-safe. {@link #close()} ends hangs and latency waits at once and stops the server.
 */
public final class FakeLlmServer implements AutoCloseable {

    /**
     * What the server last received.
     *
     * @param model         the {@code model} field
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param prompt        the recognised prompt, or {@code null}
     * @param content       the last user message
     * @param messages      every message of the request, in order
     * @param stream        whether the request asked for {@code "stream": true}
     */
    public record RecordedRequest(String model, String authorization, PromptId prompt, String content,
                                  List<ChatMessage> messages, boolean stream) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final FakeChatHandler handler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FakeLlmServer(HttpServer server, ExecutorService executor, FakeChatHandler handler) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
    }

    /**
     * Binds and starts.
     *
     * @param port    the port, or 0 for any free one
     * @param profile latency and failure behaviour
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static FakeLlmServer start(int port, FakeLlmProfile profile) {
        Objects.requireNonNull(profile, "profile");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("fake-llm-", 0).factory());
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            FakeChatHandler handler = new FakeChatHandler(profile, Prompts.loadDefault());
            server.createContext("/", handler);
            server.setExecutor(executor);
            server.start();
            return new FakeLlmServer(server, executor, handler);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start fake LLM server on port " + port, e);
        }
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return {@code http://127.0.0.1:<port>/v1}, the base URL for {@link OpenAiSettings} */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    /** @return chat-completion requests received so far (including failed ones) */
    public long requestCount() {
        return handler.requestCount();
    }

    /** @return requests currently being handled */
    public int inFlight() {
        return handler.inFlight();
    }

    /** @return the most requests that were handled at the same time */
    public int maxConcurrent() {
        return handler.maxConcurrent();
    }

    /** @return how many requests got an injected failure */
    public long failuresInjected() {
        return handler.failuresInjected();
    }

    /** @return the last chat-completion request received, if any */
    public Optional<RecordedRequest> lastRequest() {
        return handler.lastRequest();
    }

    /** @return the last 256 chat-completion requests received, oldest first */
    public List<RecordedRequest> recentRequests() {
        return handler.recentRequests();
    }

    /**
     * From now on every streamed answer pauses after its first content event until the returned latch is
     * counted down (or the profile's max hang passes, or the server closes). Lets a test see that a relay
     * passes the first event on before the upstream has finished.
     */
    public CountDownLatch holdStreams() {
        return handler.holdStreams();
    }

    /** @return streamed answers sent to the end ({@code data: [DONE]}) */
    public long streamsFinished() {
        return handler.streamsFinished();
    }

    /** Releases hanging and waiting requests, stops listening and ends the handler threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        handler.shutdown();
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
