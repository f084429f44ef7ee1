package dev.engram.surface.openai;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.chat.ChatService;
import dev.engram.config.ProxyConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.surface.SurfaceMetrics;
import dev.engram.surface.http.ApiException;
import dev.engram.surface.http.BearerAuth;
import dev.engram.surface.http.HttpExtension;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The OpenAI-compatible memory proxy, mounted on the API's server: {@code POST /v1/chat/completions} (see
 * {@link CompletionRoute}) and {@code GET /v1/models} (the configured models, synthesised: no upstream call).
 * Every {@code /v1} answer of its own, errors included, is in OpenAI's shapes
 * ({@code {"error": {"message", "type", "code"}}}), and other {@code /v1} paths get such a 404. When the
 * API has a token, {@code /v1} needs it too ({@code Authorization: Bearer <token>}, which is what OpenAI
 * SDKs send as their API key). {@link #close()} lets replies being stored finish and releases the upstream's
 * connections; call it after the HTTP server has stopped and before storage closes.
 */
public final class OpenAiProxy implements HttpExtension, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenAiProxy.class);
    private static final Duration REPLY_STORE_WAIT = Duration.ofSeconds(10);

    private final Optional<byte[]> token;
    private final SurfaceMetrics metrics;
    private final CompletionRoute completions;
    private final Upstream upstream;
    private final ExecutorService replies; // stores replies after the client has them
    private final Set<String> models;
    private final long created;

    private OpenAiProxy(ProxyConfig config, Optional<String> apiToken, ChatService chat, Upstream upstream,
                        SurfaceMetrics metrics, String replyModel) {
        this.token = apiToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.upstream = upstream;
        this.metrics = metrics;
        this.replies = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("proxy-reply-", 0).factory());
        this.completions = new CompletionRoute(config, chat, upstream, metrics, replies);
        this.models = new LinkedHashSet<>();
        config.model().ifPresent(models::add);
        models.add(replyModel);
        this.created = Instant.now().getEpochSecond();
    }

    /**
     * A proxy forwarding to an OpenAI-compatible endpoint ({@code [llm] provider = "openai"}).
     *
     * @param apiToken the API's token ({@code [server] api_token}), when set
     * @param baseUrl  the upstream's endpoint root ({@code [llm] base_url})
     * @param apiKey   the upstream's key, when it needs one
     */
    public static OpenAiProxy forwarding(ProxyConfig config, Optional<String> apiToken, ChatService chat,
                                         SurfaceMetrics metrics, String replyModel, URI baseUrl,
                                         Optional<String> apiKey, Duration connectTimeout, Duration requestTimeout) {
        return new OpenAiProxy(config, apiToken, chat, new HttpUpstream(baseUrl, apiKey, connectTimeout, requestTimeout),
                metrics, replyModel);
    }

    /** A proxy answering with {@code llm} (the offline provider, {@code [llm] provider = "offline"}). */
    public static OpenAiProxy answering(ProxyConfig config, Optional<String> apiToken, ChatService chat,
                                        SurfaceMetrics metrics, String replyModel, LlmClient llm, Prompts prompts,
                                        String persona, Duration replyTimeout) {
        return new OpenAiProxy(config, apiToken, chat, new OfflineUpstream(llm, prompts, persona, replyTimeout),
                metrics, replyModel);
    }

    @Override
    public void mount(JavalinConfig cfg) {
        cfg.routes.post("/v1/chat/completions", guarded("chat.completions", completions::handle));
        cfg.routes.get("/v1/models", guarded("models", this::models));
        Handler unknown = guarded("unknown", ctx -> {
            throw new ProxyException(404, "invalid_request_error", "unknown_url",
                    "no route for " + ctx.method() + " " + ctx.path());
        });
        cfg.routes.get("/v1/*", unknown);
        cfg.routes.post("/v1/*", unknown);
    }

    /**
     * Checks the token, then runs {@code handler} (which records its own metrics); refusals are recorded here
     * and leave in OpenAI's error shape, as the proxy's other errors do.
     */
    private Handler guarded(String operation, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return ctx -> {
            long start = System.nanoTime();
            try {
                token.ifPresent(t -> BearerAuth.check(ctx, t));
            } catch (ApiException e) {
                metrics.record(CompletionRoute.SURFACE, operation, "unauthorized", Duration.ofNanos(System.nanoTime() - start));
                ProxyJson.sendError(ctx, new ProxyException(e.status(), "invalid_request_error", "invalid_api_key",
                        e.getMessage()));
                return;
            }
            try {
                handler.handle(ctx);
            } catch (ProxyException e) {
                metrics.record(CompletionRoute.SURFACE, operation, e.outcome(), Duration.ofNanos(System.nanoTime() - start));
                ProxyJson.sendError(ctx, e);
            }
        };
    }

    private void models(Context ctx) throws IOException {
        ObjectNode list = ProxyJson.MAPPER.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String id : models) {
            ObjectNode model = data.addObject();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", created);
            model.put("owned_by", "engram");
        }
        ProxyJson.sendJson(ctx, 200, list);
        metrics.record(CompletionRoute.SURFACE, "models", SurfaceMetrics.OK, Duration.ZERO);
    }

    /** Waits (up to {@link #REPLY_STORE_WAIT}) for replies still being stored, then releases the upstream's connections. */
    @Override
    public void close() {
        replies.shutdown();
        try {
            if (!replies.awaitTermination(REPLY_STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("replies still being stored after {} ms; closing anyway", REPLY_STORE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            upstream.close();
        }
    }
}
