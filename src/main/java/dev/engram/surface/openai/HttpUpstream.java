package dev.engram.surface.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.http.Context;

/**
 * Forwards to an OpenAI-compatible endpoint ({@code POST <baseUrl>/chat/completions}) with java.net.http and
 * passes the answer back unchanged in status, content type and body. Streams are relayed as they arrive
 * ({@link SseRelay}); other bodies are read whole and sent on. The connect timeout bounds reaching the
 * upstream; the request timeout bounds the wait for its response headers and, in a stream, each silence
 * between two reads (a stream may run as long as the upstream keeps sending). An unreachable upstream is a 502, one that does not answer in time a
 * 504, both in OpenAI's error shape. Never retries. Thread-safe.
 */
final class HttpUpstream implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(HttpUpstream.class);

    private final URI endpoint;
    private final Optional<String> apiKey;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final ScheduledExecutorService watchdog; // cuts off streams that stall

    /**
     * @param baseUrl        endpoint root, e.g. {@code https://api.deepseek.com/v1}
     * @param apiKey         sent as {@code Authorization: Bearer <key>} when present
     * @param connectTimeout TCP connect timeout
     * @param requestTimeout longest wait for the upstream's response headers
     */
    HttpUpstream(URI baseUrl, Optional<String> apiKey, Duration connectTimeout, Duration requestTimeout) {
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("proxy-http-", 0).factory());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("proxy-stream-watchdog").daemon().factory());
    }

    @Override
    public Answer answer(ProxyRequest request, String memoryBlock, Context ctx) throws IOException {
        HttpRequest upstreamRequest = request(request.forwarded(memoryBlock), request.stream());
        if (!request.stream()) {
            // a plain answer is collected whole by the HTTP client: fewer thread hand-overs than a stream
            return passOn(send(upstreamRequest, HttpResponse.BodyHandlers.ofByteArray()), ctx);
        }
        HttpResponse<InputStream> response = send(upstreamRequest, HttpResponse.BodyHandlers.ofInputStream());
        String contentType = contentType(response);
        if (response.statusCode() / 100 == 2 && contentType.startsWith("text/event-stream")) {
            try (InputStream in = response.body()) {
                return relay(in, ctx, response.statusCode(), contentType);
            }
        }
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = readAll(in);
        }
        return passOn(new Whole(response.statusCode(), response.headers(), bytes), ctx); // stream asked, JSON given
    }

    private static Answer passOn(HttpResponse<byte[]> response, Context ctx) throws IOException {
        return passOn(new Whole(response.statusCode(), response.headers(), response.body()), ctx);
    }

    /** Sends a whole upstream answer on unchanged: status, content type, {@code Retry-After}, body. */
    private static Answer passOn(Whole response, Context ctx) throws IOException {
        int status = response.status();
        response.headers().firstValue("Retry-After").ifPresent(v -> ctx.res().setHeader("Retry-After", v));
        ProxyJson.send(ctx, status, response.headers().firstValue("Content-Type").orElse("application/json"),
                response.body());
        if (status / 100 != 2) {
            log.warn("upstream answered HTTP {} for the proxied completion", status);
            return Answer.failed(status);
        }
        return Answer.ok(status, replyOf(response.body()));
    }

    private record Whole(int status, HttpHeaders headers, byte[] body) {
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("application/json");
    }

    private HttpRequest request(ObjectNode body, boolean stream) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProxyJson.bytes(body)));
        apiKey.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        return request.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw ProxyException.upstream(502, "upstream_unreachable", "cannot reach the upstream model at "
                    + endpoint + ": " + describe(e));
        } catch (HttpTimeoutException e) {
            throw ProxyException.upstream(504, "upstream_timeout", "the upstream model did not answer within "
                    + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            throw ProxyException.upstream(502, "upstream_failed", "the call to the upstream model failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProxyException.upstream(503, "interrupted", "interrupted while calling the upstream model");
        }
    }

    /**
     * Relays a stream. A stream whose upstream sends nothing for {@code requestTimeout} is cut off: the
     * watchdog interrupts the relaying thread (its blocked read then fails), and the client's stream ends
     * there, without {@code [DONE]}.
     *
     * @return the assembled reply, or null when the stream did not finish
     */
    private Answer relay(InputStream in, Context ctx, int status, String contentType) throws IOException {
        ctx.res().setStatus(status);
        ctx.res().setContentType(contentType);
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.flush(); // headers go out now; the client sees the stream open before the first event
        SseRelay relay = new SseRelay();
        Thread reader = Thread.currentThread();
        AtomicLong lastRead = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        long period = Math.max(50, requestTimeout.toMillis() / 4);
        ScheduledFuture<?> watch = watchdog.scheduleWithFixedDelay(() -> {
            synchronized (stalled) { // never interrupts once the relay has ended
                if (!ended.get() && !stalled.get() && System.nanoTime() - lastRead.get() > requestTimeout.toNanos()) {
                    stalled.set(true);
                    reader.interrupt();
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            relay.relay(in, out, () -> lastRead.set(System.nanoTime()));
        } catch (IOException e) {
            if (!stalled.get()) throw e;
            log.warn("the upstream stream stalled for {} ms; cut off", requestTimeout.toMillis());
            return Answer.failed(status);
        } finally {
            watch.cancel(false);
            synchronized (stalled) {
                ended.set(true);
            }
            if (stalled.get()) Thread.interrupted(); // the interrupt was ours; the server thread goes on clean
        }
        String reply = relay.reply();
        if (reply == null) log.warn("the upstream stream ended without finishing; the reply is not remembered");
        return Answer.ok(status, reply);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw ProxyException.upstream(502, "upstream_failed", "reading the upstream's answer failed: " + describe(e));
        }
    }

    /** {@code choices[0].message.content} of a chat.completion, or null. */
    private static String replyOf(byte[] bytes) {
        try {
            JsonNode content = ProxyJson.MAPPER.readTree(bytes).path("choices").path(0).path("message").path("content");
            return content.isTextual() ? content.asText() : null;
        } catch (IOException e) {
            return null; // passed through as it was; nothing to remember
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        http.shutdownNow(); // the surfaces are closed already: any exchange left has no client any more
        executor.shutdownNow();
        watchdog.shutdownNow();
    }
}
