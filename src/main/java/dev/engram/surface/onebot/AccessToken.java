package dev.engram.surface.onebot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;

/**
 * The OneBot access token check ({@code communication/authorization.md}): {@code Authorization: Bearer <token>},
 * or {@code ?access_token=<token>} for clients that cannot set headers. As the spec's HTTP API answers: no token
 * → 401, a wrong one → 403. Compared in constant time. Immutable.
 */
final class AccessToken {
    private final byte[] expected;

    AccessToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx) {
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : ctx.queryParam("access_token");
        if (given == null || given.isEmpty()) {
            throw new UnauthorizedResponse("missing OneBot access token (\"Authorization: Bearer <token>\")");
        }
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenResponse("wrong OneBot access token");
        }
    }

    /** The token to send when Engram is the client. */
    String value() {
        return new String(expected, StandardCharsets.UTF_8);
    }
}
