package dev.engram.surface.http;

import io.javalin.config.JavalinConfig;

/**
 * Routes another surface serves on the API's HTTP server and port (the OpenAI-compatible proxy under
 * {@code /v1}, the OneBot reverse WebSocket): mounted once, after the API's own routes, while the server is
 * configured. The API's error handlers apply to them; an extension that needs the API token checks it with
 * {@link BearerAuth}.
 */
@FunctionalInterface
public interface HttpExtension {
    void mount(JavalinConfig config);
}
