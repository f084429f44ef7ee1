package dev.engram.surface.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.chat.ReplyFailedException;
import dev.engram.config.ServerConfig;
import dev.engram.surface.Surface;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.component.LifeCycle;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;

/**
 * The HTTP API surface (Javalin on virtual threads). Routes only translate between JSON and the services;
 * every error leaves as {@code {"error", "detail"}} with a 4xx status for bad input, 502/504 when
 * the reply model failed, and 500 only for a bug. Not reusable after {@link #close()}.
 */
public final class HttpApi implements Surface {
    /** The surface name in logs, status and metrics. */
    public static final String NAME = "http";
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private final ServerConfig config;
    private final Javalin app;

    public HttpApi(ServerConfig config, ApiServices services, ObjectMapper mapper) {
        this.config = config;
        MessageRoutes messages = new MessageRoutes(services.chat(), services.surfaces(), mapper, config.maxBodyBytes());
        StatusRoutes status = new StatusRoutes(services.status(), services.health(), services.metrics());
        MemoryRouteSet memory = services.memory() == null ? null
                : new MemoryRouteSet(services.memory(), mapper, config.maxBodyBytes());
        RequestLog requestLog = new RequestLog(services.metrics());
        Optional<byte[]> token = config.apiToken().map(t -> t.getBytes(StandardCharsets.UTF_8));

        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            // a client that stops sending mid-request is closed after the idle timeout instead of holding a thread
            cfg.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector c : server.getConnectors()) {
                        if (c instanceof AbstractConnector connector) connector.setIdleTimeout(config.idleTimeout().toMillis());
                    }
                }
            }));
            cfg.jsonMapper(new JavalinJackson(mapper, true));
            cfg.requestLogger.http(requestLog::record);

            token.ifPresent(t -> cfg.routes.before("/api/*", ctx -> BearerAuth.check(ctx, t)));
            cfg.routes.post("/api/message", messages::postMessage);
            cfg.routes.get("/api/status", status::status);
            cfg.routes.get("/health", status::health);
            cfg.routes.get("/metrics", status::metrics);
            if (memory != null) {
                cfg.routes.post("/api/memory", ctx -> memory.get(ctx).memory().store(ctx));
                cfg.routes.post("/api/memory/build", ctx -> memory.get(ctx).memory().build(ctx));
                cfg.routes.get("/api/memory/search", ctx -> memory.get(ctx).memory().search(ctx));
                cfg.routes.get("/api/graph", ctx -> memory.get(ctx).memory().graph(ctx));
                cfg.routes.get("/api/tasks", ctx -> memory.get(ctx).tasks().list(ctx));
                cfg.routes.delete("/api/tasks", ctx -> memory.get(ctx).tasks().purgeAll(ctx));
                cfg.routes.post("/api/tasks/retry", ctx -> memory.get(ctx).tasks().retryAll(ctx));
                cfg.routes.get("/api/tasks/{id}", ctx -> memory.get(ctx).tasks().task(ctx));
                cfg.routes.delete("/api/tasks/{id}", ctx -> memory.get(ctx).tasks().purge(ctx));
                cfg.routes.post("/api/tasks/{id}/retry", ctx -> memory.get(ctx).tasks().retry(ctx));
                cfg.routes.get("/api/chats", ctx -> memory.get(ctx).manage().chats(ctx));
                cfg.routes.get("/api/chats/{chat}/memories", ctx -> memory.get(ctx).manage().list(ctx));
                cfg.routes.get("/api/memories/{id}", ctx -> memory.get(ctx).manage().show(ctx));
                cfg.routes.patch("/api/memories/{id}", ctx -> memory.get(ctx).manage().edit(ctx));
                cfg.routes.delete("/api/memories/{id}", ctx -> memory.get(ctx).manage().delete(ctx));
                cfg.routes.delete("/api/chats/{chat}/speakers/{user}", ctx -> memory.get(ctx).manage().forgetSpeaker(ctx));
                cfg.routes.delete("/api/chats/{chat}", ctx -> memory.get(ctx).manage().forgetChat(ctx));
                cfg.routes.get("/api/chats/{chat}/export", ctx -> memory.get(ctx).transfer().exportChat(ctx));
                cfg.routes.get("/api/export", ctx -> memory.get(ctx).transfer().exportAll(ctx));
                cfg.routes.post("/api/import", ctx -> memory.get(ctx).transfer().importLines(ctx));
            } else {
                for (String path : new String[] {"/api/chats", "/api/chats/{chat}/memories", "/api/memories/{id}",
                        "/api/chats/{chat}/export", "/api/export"}) {
                    cfg.routes.get(path, HttpApi::memoryDisabled);
                }
                for (String path : new String[] {"/api/memory", "/api/memory/build", "/api/tasks/retry", "/api/import",
                        "/api/tasks/{id}/retry"}) {
                    cfg.routes.post(path, HttpApi::memoryDisabled);
                }
                for (String path : new String[] {"/api/memory/search", "/api/tasks", "/api/tasks/{id}", "/api/graph"}) {
                    cfg.routes.get(path, HttpApi::memoryDisabled);
                }
                for (String path : new String[] {"/api/tasks", "/api/tasks/{id}"}) {
                    cfg.routes.delete(path, HttpApi::memoryDisabled);
                }
            }
            for (HttpExtension extension : services.extensions()) extension.mount(cfg);

            cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
            cfg.routes.exception(ReplyFailedException.class, (e, ctx) -> {
                log.warn("reply failed for message {}: {}", e.messageId(), e.getMessage());
                error(ctx, e.timedOut() ? 504 : 502, e.timedOut() ? "reply_timeout" : "reply_failed",
                        e.getMessage() + " (your message was stored and will be remembered)");
            });
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                    switch (e.getStatus()) {
                        case 404 -> "not_found";
                        case 405 -> "method_not_allowed";
                        case 413 -> "body_too_large";
                        default -> "http_" + e.getStatus();
                    }, e.getStatus() == 404 ? "no route for " + ctx.method() + " " + ctx.path() : e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal_error", "unexpected server error; see the server log");
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                    error(ctx, 404, "not_found", "no route for " + ctx.method() + " " + ctx.path());
                }
            });
            cfg.routes.error(405, ctx -> error(ctx, 405, "method_not_allowed",
                    ctx.method() + " is not allowed on " + ctx.path()));
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Starts listening on the configured host and port (0 = any free port). */
    @Override
    public void start() {
        app.start(config.host(), config.port());
        log.info("Engram HTTP API listening on {}", describe());
    }

    @Override
    public String describe() {
        return "http://" + config.host() + ":" + app.port();
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void memoryDisabled(Context ctx) {
        throw new ApiException(409, "memory_disabled", "memory is switched off (memory.enable_memory = false)");
    }

    private static void error(Context ctx, int status, String code, String detail) {
        ctx.status(status).json(new ErrorBody(code, detail));
    }

}
