package dev.engram.surface.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.javalin.http.Context;

/** The API's bearer-token check ({@code Authorization: Bearer <token>}), compared in constant time. */
public final class BearerAuth {
    private BearerAuth() {
    }

    /**
     * Returns normally when the request carries {@code expected}.
     *
     * @throws ApiException 401 when the header is missing or holds another token
     */
    public static void check(Context ctx, byte[] expected) {
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (given == null) {
            throw new ApiException(401, "unauthorized", "missing \"Authorization: Bearer <token>\" header");
        }
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "unauthorized", "wrong API token");
        }
    }
}
