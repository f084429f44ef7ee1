package dev.engram.surface.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.engram.chat.ChatService;
import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.manage.MemoryExport;
import dev.engram.memory.manage.MemoryImport;
import dev.engram.surface.SurfaceMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the HTTP layer calls into. The API holds no business logic of its own.
 *
 * @param chat       the message pipeline
 * @param status     builds the body of {@code GET /api/status}
 * @param health     builds the body of {@code GET /health}: {@code status} is {@code starting} (answered with 503),
 *                   {@code catching_up}, {@code degraded} or {@code ok} (200: the server is usable)
 * @param metrics    registry rendered by {@code GET /metrics}; HTTP timings are recorded into it
 * @param surfaces   per-surface request counts and latencies (the API records its messages there)
 * @param memory     memory endpoints; {@code null} when memory is disabled (they answer 409 then)
 * @param admin      browsing, correcting and forgetting memories; {@code null} when memory is disabled
 * @param export     writes chats as JSON Lines; {@code null} when memory is disabled
 * @param importer   reads them back; {@code null} when memory is disabled
 * @param extensions other surfaces' routes served on the same server, mounted in this order
 */
public record ApiServices(ChatService chat, Supplier<Map<String, Object>> status, Supplier<Map<String, Object>> health,
                          PrometheusMeterRegistry metrics, SurfaceMetrics surfaces, MemoryApi memory, MemoryAdmin admin,
                          MemoryExport export, MemoryImport importer, List<HttpExtension> extensions) {
    public ApiServices {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(surfaces, "surfaces");
        extensions = List.copyOf(extensions);
    }
}
