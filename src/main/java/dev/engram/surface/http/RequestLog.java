package dev.engram.surface.http;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One concise INFO line per request, and the {@code http.server.requests} timer (method, route
 * template, status) for {@code /metrics}. Thread-safe. Never throws into the request.
 */
final class RequestLog {
    static final String CHAT_ATTRIBUTE = "engram.chat";
    static final String METRIC = "http.server.requests";
    private static final Logger log = LoggerFactory.getLogger("dev.engram.http.access");

    private final MeterRegistry registry;

    RequestLog(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, Float millis) {
        try {
            String route = route(ctx);
            int status = ctx.status().getCode();
            Timer.builder(METRIC)
                    .tag("method", ctx.method().name())
                    .tag("uri", route)
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .register(registry)
                    .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
            String chat = ctx.attribute(CHAT_ATTRIBUTE);
            log.info("{} {} {} {}ms{}", ctx.method().name(), ctx.path(), status, String.format("%.1f", millis),
                    chat == null ? "" : " chat=" + chat);
        } catch (RuntimeException e) {
            log.debug("request log failed", e);
        }
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
