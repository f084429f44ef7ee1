package dev.engram.surface.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.engram.surface.http.ApiException;
import dev.engram.surface.http.HttpExtension;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * The web dashboard: static HTML, CSS and ES modules from {@code /dashboard/} on the classpath, served at
 * {@code /} and {@code /dashboard/{file}} on the API's port. The files are read once at construction (a file
 * missing from the jar fails startup) and hold no data: the page reads everything it shows from
 * {@code /api/*} and {@code /metrics}, so the API token protects the data while the page itself is public.
 * A strict Content-Security-Policy keeps the browser from loading anything from anywhere else.
 */
public final class Dashboard implements HttpExtension {
    /** The dashboard's files under {@code /dashboard/} on the classpath; {@code index.html} is served at {@code /}. */
    static final List<String> FILES = List.of("index.html", "style.css", "app.js", "api.js", "charts.js",
            "engine.js", "memory.js", "graph.js");
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> files;

    public Dashboard() {
        Map<String, byte[]> loaded = new LinkedHashMap<>();
        for (String name : FILES) loaded.put(name, read(name));
        this.files = Map.copyOf(loaded);
    }

    @Override
    public void mount(JavalinConfig config) {
        config.routes.get("/", ctx -> serve(ctx, "index.html"));
        config.routes.get("/dashboard/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(Context ctx, String name) {
        byte[] body = files.get(name);
        if (body == null) throw new ApiException(404, "not_found", "no dashboard file " + name);
        ctx.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache")
                .contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
                .result(body);
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) throw new IllegalStateException("dashboard file missing from the classpath: /dashboard/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + name, e);
        }
    }
}
