package dev.engram.surface.onebot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live links of every bot account, and where a reply for an account goes: the newest connection of that
 * self id that serves the API (Universal or API role), else the HTTP action URL when one is configured.
 * Thread-safe.
 */
final class OneBotConnections {
    private final Set<BotLink> links = ConcurrentHashMap.newKeySet();
    private final HttpActions http; // null when no http_action_url

    OneBotConnections(HttpActions http) {
        this.http = http;
    }

    void add(BotLink link) {
        links.add(link);
    }

    void remove(BotLink link) {
        links.remove(link);
    }

    /** The channel for the actions of {@code selfId}, if any way to reach it is open. */
    Optional<ActionChannel> actionsFor(long selfId) {
        Optional<ActionChannel> ws = links.stream().filter(l -> l.selfId() == selfId && l.servesApi())
                .max(Comparator.comparing(BotLink::connectedAt)).map(BotLink::actions);
        return ws.isPresent() || http == null ? ws : Optional.of(http);
    }

    /** Every link, oldest first. */
    List<Map<String, Object>> status() {
        List<BotLink> sorted = new ArrayList<>(links);
        sorted.sort(Comparator.comparing(BotLink::connectedAt));
        return sorted.stream().map(BotLink::status).toList();
    }

    /** Distinct known self ids with a live link. */
    List<Long> selfIds() {
        return links.stream().map(BotLink::selfId).filter(id -> id != 0).distinct().sorted().toList();
    }
}
