package dev.engram.surface.onebot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One way a bot account reaches Engram: a reverse or forward WebSocket connection, or the HTTP POST receiver.
 * Its {@link Role} says whether it carries events, actions, or both ({@code communication/ws-reverse.md}); a
 * link that serves the API holds the {@link EchoCalls} of its connection. The self id is known from the
 * {@code X-Self-ID} header (reverse) or learned from the first event (forward). Thread-safe.
 */
final class BotLink {
    /** {@code X-Client-Role}. */
    enum Role {
        UNIVERSAL, API, EVENT;

        /** {@code Universal}, {@code API}, {@code Event} (any case); null for anything else. */
        static Role parse(String header) {
            if (header == null) return null;
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(header.strip())) return r;
            }
            return null;
        }

        String wire() {
            return this == API ? "API" : name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
        }
    }

    private final String transport;
    private final Role role;
    private final String remote;
    private final EchoCalls actions;
    private final Instant connectedAt;
    private final AtomicLong events = new AtomicLong();
    private volatile long selfId;
    private volatile Instant lastEventAt;
    private volatile Instant lastHeartbeatAt;
    private volatile boolean enabled = true;

    /**
     * @param transport {@code reverse_ws}, {@code forward_ws} or {@code http}
     * @param selfId    the bot account, or 0 until the first event tells it
     * @param actions   the connection's action calls; null when it carries no API
     */
    BotLink(String transport, Role role, String remote, long selfId, EchoCalls actions, Instant connectedAt) {
        this.transport = transport;
        this.role = role;
        this.remote = remote;
        this.selfId = selfId;
        this.actions = actions;
        this.connectedAt = connectedAt;
    }

    /** Notes an event that arrived over this link; the first one names the account of a forward link. */
    void sawEvent(OneBotEvent e, Instant at) {
        if (selfId == 0) selfId = e.selfId();
        lastEventAt = at;
        events.incrementAndGet();
        if (e instanceof OneBotEvent.Meta m) {
            if (m.metaType().equals("heartbeat")) lastHeartbeatAt = at;
            if (m.metaType().equals("lifecycle")) enabled = !m.subType().equals("disable");
        }
    }

    long selfId() {
        return selfId;
    }

    Role role() {
        return role;
    }

    /** The action calls, or null when the link carries no API. */
    EchoCalls actions() {
        return actions;
    }

    boolean servesApi() {
        return actions != null && role != Role.EVENT;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    /** This link's part of {@code /api/status}. */
    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("self_id", selfId == 0 ? null : selfId);
        s.put("transport", transport);
        s.put("role", role.wire());
        s.put("remote", remote);
        s.put("enabled", enabled);
        s.put("connected_at", connectedAt.toString());
        s.put("last_event_at", lastEventAt == null ? null : lastEventAt.toString());
        s.put("last_heartbeat_at", lastHeartbeatAt == null ? null : lastHeartbeatAt.toString());
        s.put("events", events.get());
        if (actions != null) s.put("actions_in_flight", actions.inFlight());
        return s;
    }
}
