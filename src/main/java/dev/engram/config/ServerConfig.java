package dev.engram.config;

import java.util.Optional;

/**
 * {@code [server]}: where the HTTP API listens and what it accepts.
 *
 * @param host         interface to bind; 127.0.0.1 by default so nothing is exposed by accident
 * @param port         TCP port, 0 picks a free one
 * @param apiToken     when present, every {@code /api/*} request must send {@code Authorization: Bearer <token>}
 * @param maxBodyBytes largest request body accepted; larger ones get HTTP 413
 */
public record ServerConfig(String host, int port, Optional<String> apiToken, int maxBodyBytes) {
    /** The built-in defaults of {@code [server]}. */
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, Optional.empty(), 65_536);

    static ServerConfig read(Section s) {
        String host = s.string("host", DEFAULTS.host, h -> !h.isBlank(), "must not be blank");
        int port = s.intValue("port", DEFAULTS.port, 0, 65535);
        String token = s.string("api_token", DEFAULTS.apiToken.orElse(""), t -> t.isEmpty() || t.strip().length() >= 8,
                "must be empty (no auth) or at least 8 characters");
        int maxBody = s.intValue("max_body_bytes", DEFAULTS.maxBodyBytes, 1_024, 16 * 1024 * 1024);
        s.finish();
        return new ServerConfig(host, port, token.isEmpty() ? Optional.empty() : Optional.of(token.strip()), maxBody);
    }
}
