package dev.engram.surface.http;

import java.util.Map;
import java.util.function.Supplier;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code GET /api/status}, {@code GET /health} and {@code GET /metrics} (Prometheus text). */
final class StatusRoutes {
    private final Supplier<Map<String, Object>> status;
    private final PrometheusMeterRegistry metrics;

    StatusRoutes(Supplier<Map<String, Object>> status, PrometheusMeterRegistry metrics) {
        this.status = status;
        this.metrics = metrics;
    }

    void status(Context ctx) {
        ctx.json(status.get());
    }

    void health(Context ctx) {
        ctx.json(Map.of("status", "ok"));
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
