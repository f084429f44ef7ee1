package dev.engram.surface.http;

import java.util.Map;
import java.util.function.Supplier;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /api/status}, {@code GET /health} and {@code GET /metrics} (Prometheus text). Health answers 200
 * while the index catches up ({@code catching_up}): the server takes messages and replies then, so a load
 * balancer must not take it out; only {@code starting} answers 503.
 */
final class StatusRoutes {
    private final Supplier<Map<String, Object>> status;
    private final Supplier<Map<String, Object>> health;
    private final PrometheusMeterRegistry metrics;

    StatusRoutes(Supplier<Map<String, Object>> status, Supplier<Map<String, Object>> health,
                 PrometheusMeterRegistry metrics) {
        this.status = status;
        this.health = health;
        this.metrics = metrics;
    }

    void status(Context ctx) {
        ctx.json(status.get());
    }

    void health(Context ctx) {
        Map<String, Object> body = health.get();
        ctx.status("starting".equals(body.get("status")) ? 503 : 200).json(body);
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
