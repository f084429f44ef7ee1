package dev.engram.config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code [server]}: where the HTTP API listens and what it accepts.
 *
 * @param host         interface to bind; 127.0.0.1 by default so nothing is exposed by accident
 * @param port         TCP port, 0 picks a free one
 * @param apiToken     when present, every {@code /api/*} request must send {@code Authorization: Bearer <token>}
 * @param maxBodyBytes largest request body accepted; larger ones get HTTP 413
 * @param idleTimeout  how long a connection may send nothing (a request line, headers or body that stopped
 *                     arriving, or an idle keep-alive) before the server closes it; a request being answered
 *                     is not cut by it
 */
public record ServerConfig(String host, int port, Optional<String> apiToken, int maxBodyBytes, Duration idleTimeout) {
    /** The built-in defaults of {@code [server]}. */
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, Optional.empty(), 65_536,
            Duration.ofSeconds(4));

    static ServerConfig read(Section s) {
        String host = s.string("host", DEFAULTS.host, h -> !h.isBlank(), "must not be blank");
        int port = s.intValue("port", DEFAULTS.port, 0, 65535);
        String token = s.string("api_token", DEFAULTS.apiToken.orElse(""), t -> t.isEmpty() || t.strip().length() >= 8,
                "must be empty (no auth) or at least 8 characters");
        int maxBody = s.intValue("max_body_bytes", DEFAULTS.maxBodyBytes, 1_024, 16 * 1024 * 1024);
        int idle = s.intValue("idle_timeout_ms", (int) DEFAULTS.idleTimeout.toMillis(), 100, 600_000);
        s.finish();
        return new ServerConfig(host, port, token.isEmpty() ? Optional.empty() : Optional.of(token.strip()), maxBody,
                Duration.ofMillis(idle));
    }
}
