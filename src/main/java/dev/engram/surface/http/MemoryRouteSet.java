package dev.engram.surface.http;

import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.http.Context;

/**
 * The memory routes, built the first time the memory side is ready. Until then each of them answers
 * {@code 503 starting} with {@code Retry-After: 1} (the message route works from the start: its intake is
 * durable and its recall comes back {@code skipped}). Thread-safe.
 */
final class MemoryRouteSet {
    /** The routes over one set of endpoints. */
    record Routes(MemoryRoutes memory, ManageRoutes manage, ExportRoutes transfer, TaskRoutes tasks) {
    }

    private final Supplier<MemoryEndpoints> endpoints;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;
    private volatile Routes routes;

    /** @param endpoints the services, or {@code null} while the memory side is still loading */
    MemoryRouteSet(Supplier<MemoryEndpoints> endpoints, ObjectMapper mapper, int maxBodyBytes) {
        this.endpoints = endpoints;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The routes, or a 503 for {@code ctx} while the memory side is still loading. */
    Routes get(Context ctx) {
        Routes r = routes;
        if (r != null) return r;
        synchronized (this) {
            if (routes == null) {
                MemoryEndpoints e = endpoints.get();
                if (e == null) {
                    ctx.header("Retry-After", "1");
                    throw new ApiException(503, "starting",
                            "the memory side is still loading (GET /health: starting); retry shortly");
                }
                routes = new Routes(new MemoryRoutes(e.memory(), mapper, maxBodyBytes),
                        new ManageRoutes(e.admin(), mapper, maxBodyBytes), new ExportRoutes(e.export(), e.importer()),
                        new TaskRoutes(e.memory()));
            }
            return routes;
        }
    }
}
