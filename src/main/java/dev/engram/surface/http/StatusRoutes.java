package dev.engram.surface.http;

import java.util.Map;
import java.util.function.Supplier;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /api/status}, {@code GET /health} and {@code GET /metrics} (Prometheus text). Health answers 200
 * whenever the port is open: from then on the server takes messages durably and replies, so a load balancer must
 * not take it out. Its {@code status} says how much memory is available: {@code starting} (memory still
 * loading: replies come without memories), {@code catching_up} (recall serves what the index holds so far),
 * {@code ok}, {@code degraded} (the index or memory load failed).
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
        ctx.json(health.get());
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
