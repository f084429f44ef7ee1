package dev.engram.surface.onebot;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.chat.ChatService;
import dev.engram.config.OneBotConfig;
import dev.engram.surface.Surface;
import dev.engram.surface.SurfaceMetrics;
import dev.engram.surface.http.HttpExtension;
import io.javalin.config.JavalinConfig;

/**
 * The OneBot v11 surface: QQ bots (NapCat, LLOneBot, Lagrange, …) reach Engram over a reverse WebSocket on the
 * API's port, a forward WebSocket Engram dials, or HTTP POST plus HTTP actions — any mix at once, any number of
 * bot accounts. Every message is remembered; the {@link ReplyPolicy} picks the ones answered. Its routes are
 * mounted on the HTTP API's server ({@link HttpExtension}), so it must be built before that server and closed
 * before it (the composition root starts it after and closes it first). On close it waits up to
 * {@value #DRAIN_SECONDS} s for messages being processed, so what was received is stored.
 */
public final class OneBotSurface implements Surface, HttpExtension {
    private static final Logger log = LoggerFactory.getLogger(OneBotSurface.class);
    private static final long DRAIN_SECONDS = 10;

    private final OneBotConfig config;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService redials;
    private final HttpClient client;
    private final ChatLanes lanes;
    private final OneBotConnections connections;
    private final ReverseWebSocket reverse;
    private final HttpEventReceiver receiver; // null when http_event_path is empty
    private final List<ForwardWebSocket> forward;

    /**
     * @param random uniform in [0, 1), for {@code reply_probability}; thread-safe
     */
    public OneBotSurface(OneBotConfig config, ChatService chat, SurfaceMetrics metrics, ObjectMapper json,
                         Clock clock, DoubleSupplier random) {
        this.config = config;
        this.redials = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("engram-onebot-redial").daemon().factory());
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.lanes = new ChatLanes(workers);
        AccessToken token = new AccessToken(config.accessToken());
        this.connections = new OneBotConnections(config.httpActionUrl().isEmpty() ? null
                : new HttpActions(client, json, config.httpActionUrl(), config.accessToken(), config.actionTimeout()));
        ReplyPolicy policy = new ReplyPolicy(config.botNames(), config.keywords(), config.groupRepliesPerMinute(),
                config.replyProbability(), random, clock);
        OneBotInbox inbox = new OneBotInbox(chat, policy, connections, metrics, json, lanes, clock);
        this.reverse = new ReverseWebSocket(token, inbox, connections, json, config.actionTimeout(), clock);
        this.receiver = config.httpEventPath().isEmpty() ? null
                : new HttpEventReceiver(config.httpSecret(), json, inbox, connections, clock);
        ForwardWebSocket.Deps deps = new ForwardWebSocket.Deps(client, config.accessToken(), inbox, connections, json,
                config.actionTimeout(), config.reconnectMin(), config.reconnectMax(), redials, clock);
        this.forward = config.forwardUrls().stream().map(u -> new ForwardWebSocket(URI.create(u), deps)).toList();
    }

    @Override
    public void mount(JavalinConfig cfg) {
        reverse.mount(cfg);
        if (receiver != null) cfg.routes.post(config.httpEventPath(), receiver::receive);
    }

    @Override
    public String name() {
        return "onebot";
    }

    @Override
    public void start() {
        forward.forEach(ForwardWebSocket::start);
        log.info("OneBot surface on: {}", describe());
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("onebot reverse ws ").append(ReverseWebSocket.PATH);
        if (!forward.isEmpty()) sb.append(", forward ws ").append(config.forwardUrls());
        if (receiver != null) sb.append(", http post ").append(config.httpEventPath());
        if (!config.httpActionUrl().isEmpty()) sb.append(", http actions ").append(config.httpActionUrl());
        return sb.toString();
    }

    /** The {@code onebot} part of {@code /api/status}: every link of every bot account, and the forward dials. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("self_ids", connections.selfIds());
        s.put("connections", connections.status());
        s.put("forward", forward.stream().map(ForwardWebSocket::status).toList());
        s.put("http_event_path", receiver == null ? null : config.httpEventPath());
        s.put("http_action_url", config.httpActionUrl().isEmpty() ? null : config.httpActionUrl());
        s.put("chats_busy", lanes.busy());
        return s;
    }

    @Override
    public void close() {
        forward.forEach(ForwardWebSocket::close);
        redials.shutdownNow();
        reverse.closeAll();
        if (receiver != null) receiver.closeAll();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                log.warn("OneBot messages still in progress after {} s; interrupting them", DRAIN_SECONDS);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
