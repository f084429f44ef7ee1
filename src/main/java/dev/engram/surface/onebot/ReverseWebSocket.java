package dev.engram.surface.onebot;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.websocket.WsContext;

/**
 * Reverse WebSocket ({@code communication/ws-reverse.md}): the OneBot implementation dials Engram at
 * {@value #PATH} (Universal, or API and Event on two connections to the same URL) or at {@value #PATH}/api and
 * {@value #PATH}/event, with {@code X-Self-ID}, {@code X-Client-Role} and the access token. The upgrade is refused
 * without the right token (401 / 403), without a numeric {@code X-Self-ID}, or with a role that is unknown or
 * contradicts the path (400). Any number of accounts and connections at once. Thread-safe.
 */
final class ReverseWebSocket {
    static final String PATH = "/onebot/v11/ws";
    private static final Logger log = LoggerFactory.getLogger(ReverseWebSocket.class);
    private static final Duration PING_EVERY = Duration.ofSeconds(15);
    private static final long MAX_FRAME_BYTES = 16L * 1024 * 1024;
    /**
     * Quiet time after which a connection is dropped: well above the pings every {@link #PING_EVERY} (whose pongs
     * keep a healthy connection busy) and NapCat's 30 s heartbeat; the API port's short idle timeout is for
     * stalled HTTP requests, not for these long-lived connections.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final AccessToken token;
    private final OneBotInbox inbox;
    private final OneBotConnections connections;
    private final ObjectMapper json;
    private final Duration actionTimeout;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /** A connected session and its link; sends on it are serialised on the context. */
    private record Session(BotLink link, WsContext ctx) {
    }

    ReverseWebSocket(AccessToken token, OneBotInbox inbox, OneBotConnections connections, ObjectMapper json,
                     Duration actionTimeout, Clock clock) {
        this.token = token;
        this.inbox = inbox;
        this.connections = connections;
        this.json = json;
        this.actionTimeout = actionTimeout;
        this.clock = clock;
    }

    void mount(JavalinConfig cfg) {
        cfg.jetty.modifyWebSocketServletFactory(f -> {
            f.setMaxTextMessageSize(MAX_FRAME_BYTES);
            f.setIdleTimeout(IDLE_TIMEOUT);
        });
        endpoint(cfg, PATH, null);
        endpoint(cfg, PATH + "/api", BotLink.Role.API);
        endpoint(cfg, PATH + "/event", BotLink.Role.EVENT);
    }

    private void endpoint(JavalinConfig cfg, String path, BotLink.Role fixed) {
        cfg.routes.wsBeforeUpgrade(path, ctx -> {
            token.check(ctx);
            selfId(ctx.header("X-Self-ID"));
            role(ctx.header("X-Client-Role"), fixed);
        });
        cfg.routes.ws(path, ws -> {
            ws.onConnect(ctx -> connected(ctx, fixed));
            ws.onMessage(ctx -> {
                Session s = sessions.get(ctx.sessionId());
                if (s != null) inbox.onFrame(s.link(), ctx.message());
            });
            ws.onClose(ctx -> closed(ctx.sessionId(), "closed (" + ctx.status() + " " + ctx.reason() + ")"));
            ws.onError(ctx -> log.warn("OneBot reverse WebSocket error: {}", String.valueOf(ctx.error())));
        });
    }

    private void connected(WsContext ctx, BotLink.Role fixed) {
        long selfId = selfId(ctx.header("X-Self-ID"));
        BotLink.Role role = role(ctx.header("X-Client-Role"), fixed);
        String remote = String.valueOf(ctx.session.getRemoteSocketAddress());
        EchoCalls calls = role == BotLink.Role.EVENT ? null
                : new EchoCalls(text -> send(ctx, text), json, actionTimeout, "engram-" + selfId);
        BotLink link = new BotLink("reverse_ws", role, remote, selfId, calls, clock.instant());
        sessions.put(ctx.sessionId(), new Session(link, ctx));
        connections.add(link);
        ctx.enableAutomaticPings(PING_EVERY.toSeconds(), TimeUnit.SECONDS);
        log.info("OneBot bot {} connected ({} over reverse WebSocket from {})", selfId, role.wire(), remote);
    }

    private void closed(String sessionId, String why) {
        Session s = sessions.remove(sessionId);
        if (s == null) return;
        connections.remove(s.link());
        if (s.link().actions() != null) s.link().actions().closeAll("OneBot connection " + why);
        log.info("OneBot bot {} {} connection {}", s.link().selfId(), s.link().role().wire(), why);
    }

    private static void send(WsContext ctx, String text) {
        synchronized (ctx) {
            ctx.send(text);
        }
    }

    /** Closes every connection (the surface is stopping). */
    void closeAll() {
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            try {
                e.getValue().ctx().closeSession(1001, "Engram is stopping");
            } catch (RuntimeException ex) {
                log.debug("closing a OneBot session failed", ex);
            }
            closed(e.getKey(), "closed (Engram is stopping)");
        }
    }

    private static long selfId(String header) {
        try {
            long id = Long.parseLong(header == null ? "" : header.strip());
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new BadRequestResponse("X-Self-ID must be the bot's QQ number (got " + header + ")");
    }

    private static BotLink.Role role(String header, BotLink.Role fixed) {
        BotLink.Role given = header == null || header.isBlank() ? null : BotLink.Role.parse(header);
        if (header != null && !header.isBlank() && given == null) {
            throw new BadRequestResponse("X-Client-Role must be Universal, API or Event (got " + header + ")");
        }
        if (fixed != null && given != null && given != fixed) {
            throw new BadRequestResponse("X-Client-Role " + header + " does not match the " + fixed.wire() + " URL");
        }
        return fixed != null ? fixed : given == null ? BotLink.Role.UNIVERSAL : given;
    }
}
