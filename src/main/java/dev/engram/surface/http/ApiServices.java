package dev.engram.surface.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.engram.chat.ChatService;
import dev.engram.surface.SurfaceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the HTTP layer calls into. The API holds no business logic of its own.
 *
 * @param chat       the message pipeline
 * @param status     builds the body of {@code GET /api/status}
 * @param health     builds the body of {@code GET /health}: {@code status} is {@code starting}, {@code catching_up},
 *                   {@code degraded} or {@code ok}, all answered with 200 (the port opens once intake is durable)
 * @param metrics    registry rendered by {@code GET /metrics}; HTTP timings are recorded into it
 * @param surfaces   per-surface request counts and latencies (the API records its messages there)
 * @param memory     the memory endpoints' services, {@code null} from the supplier while the memory side loads
 *                   (the routes answer 503 {@code starting} then); the supplier is {@code null} when memory is
 *                   disabled (they answer 409)
 * @param extensions other surfaces' routes served on the same server, mounted in this order
 */
public record ApiServices(ChatService chat, Supplier<Map<String, Object>> status, Supplier<Map<String, Object>> health,
                          PrometheusMeterRegistry metrics, SurfaceMetrics surfaces, Supplier<MemoryEndpoints> memory,
                          List<HttpExtension> extensions) {
    public ApiServices {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(surfaces, "surfaces");
        extensions = List.copyOf(extensions);
    }
}
