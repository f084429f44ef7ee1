package dev.engram.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code [onebot]}: the OneBot v11 surface (QQ bots through NapCat, LLOneBot, Lagrange and friends).
 * Off by default. Every message it receives is remembered; the reply policy picks the ones answered.
 *
 * @param enabled              whether the surface runs at all
 * @param accessToken          the OneBot access token: reverse WebSocket clients must send it, Engram sends it
 *                             when it dials a forward WebSocket or calls HTTP actions
 * @param botNames             names that call the bot in a group ("小咪, 今天吃什么")
 * @param keywords             further words that make the bot answer in a group
 * @param groupRepliesPerMinute most replies per group in any 60 s; 0 = no limit
 * @param replyProbability     chance of answering a group message that does not address the bot (0 = never)
 * @param actionTimeout        longest wait for the answer to a {@code send_*_msg} action
 * @param forwardUrls          forward WebSocket servers Engram dials ({@code ws://127.0.0.1:3001})
 * @param reconnectMin         first wait before redialing a dropped forward connection (doubles up to the max)
 * @param reconnectMax         longest wait between redials
 * @param httpEventPath        path of the HTTP POST event receiver on Engram's port; empty = off
 * @param httpSecret           HMAC-SHA1 secret of {@code X-Signature} on received events; empty = not checked
 * @param httpActionUrl        base URL of the implementation's HTTP API for actions; empty = off
 */
public record OneBotConfig(boolean enabled, String accessToken, List<String> botNames, List<String> keywords,
                           int groupRepliesPerMinute, double replyProbability, Duration actionTimeout,
                           List<String> forwardUrls, Duration reconnectMin, Duration reconnectMax,
                           String httpEventPath, String httpSecret, String httpActionUrl) {
    /** The built-in defaults of {@code [onebot]}. */
    public static final OneBotConfig DEFAULTS = new OneBotConfig(false, "", List.of(), List.of(), 6, 0.0,
            Duration.ofSeconds(10), List.of(), Duration.ofSeconds(1), Duration.ofSeconds(30), "", "", "");

    public OneBotConfig {
        botNames = List.copyOf(botNames);
        keywords = List.copyOf(keywords);
        forwardUrls = List.copyOf(forwardUrls);
    }

    static OneBotConfig read(Section s) {
        boolean enabled = s.bool("enabled", DEFAULTS.enabled);
        String token = s.string("access_token", DEFAULTS.accessToken,
                t -> t.isEmpty() || t.strip().length() >= 8, "must be empty or at least 8 characters").strip();
        List<String> names = nonBlank(s, "bot_names", DEFAULTS.botNames);
        List<String> keywords = nonBlank(s, "keywords", DEFAULTS.keywords);
        int perMinute = s.intValue("group_replies_per_minute", DEFAULTS.groupRepliesPerMinute, 0, 10_000);
        double probability = s.number("reply_probability", DEFAULTS.replyProbability, p -> p >= 0 && p <= 1,
                "must be a number in [0, 1]");
        int actionMs = s.intValue("action_timeout_ms", (int) DEFAULTS.actionTimeout.toMillis(), 100, 600_000);
        List<String> forward = s.strings("forward_urls", DEFAULTS.forwardUrls);
        for (String url : forward) {
            if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
                throw new ConfigException("onebot.forward_urls must hold ws:// or wss:// URLs (got \"" + url + "\")");
            }
        }
        int minMs = s.intValue("reconnect_min_ms", (int) DEFAULTS.reconnectMin.toMillis(), 10, 600_000);
        int maxMs = s.intValue("reconnect_max_ms", (int) DEFAULTS.reconnectMax.toMillis(), 10, 3_600_000);
        if (maxMs < minMs) {
            throw new ConfigException("onebot.reconnect_max_ms must be at least onebot.reconnect_min_ms (" + minMs + ")");
        }
        String eventPath = s.string("http_event_path", DEFAULTS.httpEventPath,
                p -> p.isEmpty() || p.startsWith("/") && !p.startsWith("/api/") && !p.startsWith("/onebot/v11/ws"),
                "must be empty (off) or a path starting with / outside /api/ and /onebot/v11/ws");
        String secret = s.string("http_secret", DEFAULTS.httpSecret, x -> true, "");
        String actionUrl = s.string("http_action_url", DEFAULTS.httpActionUrl,
                u -> u.isEmpty() || u.startsWith("http://") || u.startsWith("https://"),
                "must be empty (off) or an http:// or https:// URL");
        if (!secret.isEmpty() && eventPath.isEmpty()) {
            throw new ConfigException("onebot.http_secret needs onebot.http_event_path (the receiver it protects)");
        }
        if (enabled && token.isEmpty()) {
            throw new ConfigException("onebot.access_token must be set (8+ characters) when onebot.enabled = true");
        }
        s.finish();
        return new OneBotConfig(enabled, token, names, keywords, perMinute, probability, Duration.ofMillis(actionMs),
                forward, Duration.ofMillis(minMs), Duration.ofMillis(maxMs), eventPath, secret,
                actionUrl.endsWith("/") ? actionUrl.substring(0, actionUrl.length() - 1) : actionUrl);
    }

    private static List<String> nonBlank(Section s, String key, List<String> def) {
        List<String> values = s.strings(key, def);
        for (String v : values) {
            if (v.isBlank()) throw new ConfigException("onebot." + key + " must not hold blank strings");
        }
        return values.stream().map(String::strip).toList();
    }
}
