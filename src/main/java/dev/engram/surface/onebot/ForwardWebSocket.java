package dev.engram.surface.onebot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Forward WebSocket ({@code communication/ws.md}): Engram dials the implementation's WebSocket server (its
 * Universal {@code /} endpoint) with {@code Authorization: Bearer <access_token>}, keeps the connection, and
 * redials when it drops or cannot be opened — after {@code reconnectMin}, doubling up to {@code reconnectMax},
 * back to the minimum once a connection opens. The bot account is learned from the first event. Thread-safe;
 * not reusable after {@link #close()}.
 */
final class ForwardWebSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ForwardWebSocket.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** What a forward connection needs besides its URL; shared by all of them. */
    record Deps(HttpClient client, String accessToken, OneBotInbox inbox, OneBotConnections connections,
                ObjectMapper json, Duration actionTimeout, Duration reconnectMin, Duration reconnectMax,
                ScheduledExecutorService scheduler, Clock clock) {
    }

    private final URI url;
    private final Deps deps;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Object sendLock = new Object();
    private volatile Duration nextDelay;
    private volatile WebSocket socket;
    private volatile BotLink link;

    ForwardWebSocket(URI url, Deps deps) {
        this.url = url;
        this.deps = deps;
        this.nextDelay = deps.reconnectMin();
    }

    /** Dials in the background; returns at once. */
    void start() {
        dial();
    }

    private void dial() {
        if (closed.get()) return;
        WebSocket.Builder b = deps.client().newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (!deps.accessToken().isEmpty()) b.header("Authorization", "Bearer " + deps.accessToken());
        b.buildAsync(url, new Listener()).whenComplete((ws, e) -> {
            if (e != null) {
                failures.incrementAndGet();
                log.warn("cannot reach the OneBot WebSocket server {}: {}; retrying in {} ms", url,
                        e.getCause() == null ? e.toString() : e.getCause().toString(), nextDelay.toMillis());
                redial();
            }
        });
    }

    private void redial() {
        if (closed.get()) return;
        Duration delay = nextDelay;
        Duration doubled = delay.multipliedBy(2);
        nextDelay = doubled.compareTo(deps.reconnectMax()) > 0 ? deps.reconnectMax() : doubled;
        try {
            deps.scheduler().schedule(this::dial, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not redialing {}: stopping", url);
        }
    }

    private void send(WebSocket ws, String text) {
        synchronized (sendLock) { // java.net.http allows one outstanding send at a time
            try {
                ws.sendText(text, true).get(deps.actionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot send to " + url + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending to " + url, e);
            }
        }
    }

    /** One connection's callbacks: frames are reassembled and handed to the inbox. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final AtomicBoolean ended = new AtomicBoolean();
        private BotLink own;

        @Override
        public void onOpen(WebSocket ws) {
            EchoCalls calls = new EchoCalls(text -> send(ws, text), deps.json(), deps.actionTimeout(),
                    "engram-fwd-" + connects.incrementAndGet());
            own = new BotLink("forward_ws", BotLink.Role.UNIVERSAL, url.toString(), 0, calls, deps.clock().instant());
            socket = ws;
            link = own;
            nextDelay = deps.reconnectMin();
            deps.connections().add(own);
            log.info("connected to the OneBot WebSocket server {}", url);
            if (closed.get()) ws.abort();
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                deps.inbox().onFrame(own, frame);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            ended("closed by the server (" + status + " " + reason + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended("failed: " + error);
        }

        private void ended(String why) {
            if (!ended.compareAndSet(false, true)) return;
            deps.connections().remove(own);
            own.actions().closeAll("OneBot connection to " + url + " " + why);
            if (closed.get()) return;
            log.warn("OneBot WebSocket connection to {} {}; redialing in {} ms", url, why, nextDelay.toMillis());
            redial();
        }
    }

    /** This connection's part of {@code /api/status}. */
    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        BotLink l = link;
        s.put("url", url.toString());
        s.put("connected", l != null && socket != null && !socket.isInputClosed() && !socket.isOutputClosed());
        s.put("self_id", l == null || l.selfId() == 0 ? null : l.selfId());
        s.put("connects", connects.get());
        s.put("failed_dials", failures.get());
        return s;
    }

    /** Stops redialing and drops the connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        WebSocket ws = socket;
        if (ws != null) ws.abort();
        BotLink l = link;
        if (l != null) deps.connections().remove(l);
    }
}
