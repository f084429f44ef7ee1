package dev.engram.surface.onebot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;

/**
 * The HTTP POST event receiver ({@code communication/http-post.md}): one event per request. When a secret is
 * configured, {@code X-Signature: sha1=<hex HMAC-SHA1 of the body>} must match (missing → 401, wrong → 403).
 * Answers 204 at once (no quick operation: replies go through the action URL) and hands the event to the inbox;
 * a body that is not JSON is a 400. Each self id that posts gets an Event link in the status. Thread-safe.
 */
final class HttpEventReceiver {
    private final byte[] secret; // empty = no signature check
    private final ObjectMapper json;
    private final OneBotInbox inbox;
    private final OneBotConnections connections;
    private final Clock clock;
    private final Map<Long, BotLink> links = new ConcurrentHashMap<>();

    HttpEventReceiver(String secret, ObjectMapper json, OneBotInbox inbox, OneBotConnections connections,
                      Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        this.inbox = inbox;
        this.connections = connections;
        this.clock = clock;
    }

    void receive(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (secret.length > 0) verify(ctx.header("X-Signature"), body);
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (IOException e) {
            throw new BadRequestResponse("the event is not JSON");
        }
        long selfId = event.path("self_id").asLong(0);
        BotLink link = links.computeIfAbsent(selfId, id -> {
            BotLink l = new BotLink("http", BotLink.Role.EVENT, ctx.ip(), id, null, clock.instant());
            connections.add(l);
            return l;
        });
        inbox.onEvent(link, event);
        ctx.status(204);
    }

    private void verify(String header, byte[] body) {
        if (header == null || !header.startsWith("sha1=")) {
            throw new UnauthorizedResponse("missing X-Signature: sha1=<HMAC-SHA1 of the body>");
        }
        byte[] expected = HexFormat.of().formatHex(hmacSha1(secret, body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.substring(5).strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) throw new ForbiddenResponse("wrong X-Signature");
    }

    static byte[] hmacSha1(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /** Forgets the per-account links (the surface is stopping). */
    void closeAll() {
        links.values().forEach(connections::remove);
        links.clear();
    }
}
