package dev.engram.surface.onebot;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.engram.chat.ChatRequest;
import dev.engram.chat.ChatResult;
import dev.engram.chat.ChatService;
import dev.engram.chat.ReplyFailedException;
import dev.engram.common.Failures;
import dev.engram.surface.SurfaceMetrics;

/**
 * What the OneBot surface does with what arrives, whatever the transport: frames are decoded (malformed ones
 * are logged and dropped, never closing the connection), responses complete their action calls, meta events
 * update the link, and every message is remembered through {@link ChatService#observe} — or, when the
 * {@link ReplyPolicy} picks it, handled through {@link ChatService#handle} and answered with a
 * {@code send_group_msg} / {@code send_private_msg} action that quotes it (a picked message of an account with
 * no API connection is only stored: no reply is made that nobody would get). Messages of one chat are processed
 * in arrival order ({@link ChatLanes}); a message id seen before is dropped (the store is idempotent too, so
 * a redelivery after a restart is stored once and not answered). Thread-safe.
 */
final class OneBotInbox {
    static final String SURFACE = "onebot";
    private static final Logger log = LoggerFactory.getLogger(OneBotInbox.class);
    /** Stands for a message that only @-mentions the bot, so it is still remembered and answered. */
    private static final String BARE_MENTION = "[@机器人]";

    private final ChatService chat;
    private final ReplyPolicy policy;
    private final OneBotConnections connections;
    private final SurfaceMetrics metrics;
    private final ObjectMapper json;
    private final ChatLanes lanes;
    private final Clock clock;
    /** Message ids seen lately ("chat#id"): duplicates are dropped before the policy spends a reply on them. */
    private final Cache<String, Boolean> seen = Caffeine.newBuilder().maximumSize(100_000).build();
    /** Ids of the bot's own messages ("self#id"), so a reply quoting one of them addresses the bot. */
    private final Cache<String, Boolean> sent = Caffeine.newBuilder().maximumSize(20_000).build();
    /** Display names of group members ("group#user"), to render @-mentions of them. */
    private final Cache<String, String> names = Caffeine.newBuilder().maximumSize(20_000).build();

    OneBotInbox(ChatService chat, ReplyPolicy policy, OneBotConnections connections, SurfaceMetrics metrics,
                ObjectMapper json, ChatLanes lanes, Clock clock) {
        this.chat = chat;
        this.policy = policy;
        this.connections = connections;
        this.metrics = metrics;
        this.json = json;
        this.lanes = lanes;
        this.clock = clock;
    }

    /** One text frame of a WebSocket link: an event, or the response to one of Engram's actions. */
    void onFrame(BotLink link, String frame) {
        long start = System.nanoTime();
        JsonNode node;
        try {
            node = json.readTree(frame);
        } catch (JsonProcessingException e) {
            malformed(start, "frame is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (node.has("post_type")) {
            onEvent(link, node);
        } else if (node.has("echo") && link.actions() != null) {
            if (!link.actions().onResponse(node)) log.debug("OneBot response to no call in flight: {}", node);
        } else {
            malformed(start, "frame is neither an event nor an action response");
        }
    }

    /** One event (from a WebSocket frame or an HTTP POST). Returns at once; messages are processed in their lane. */
    void onEvent(BotLink link, JsonNode node) {
        long start = System.nanoTime();
        OneBotEvent event;
        try {
            event = EventDecoder.decode(node);
        } catch (IllegalArgumentException e) {
            malformed(start, e.getMessage());
            return;
        }
        link.sawEvent(event, clock.instant());
        switch (event) {
            case OneBotEvent.Message m -> lanes.submit(m.chatId(), () -> message(m, start));
            case OneBotEvent.Meta m -> record("meta", SurfaceMetrics.OK, start);
            case OneBotEvent.Other o -> record(o.postType().equals("notice") || o.postType().equals("request")
                    ? o.postType() : "other", "ignored", start);
        }
    }

    private void message(OneBotEvent.Message m, long start) {
        if (seen.asMap().putIfAbsent(m.chatId() + "#" + m.messageId(), Boolean.TRUE) != null) {
            log.debug("OneBot message {} in {} delivered again; dropped", m.messageId(), m.chatId());
            record("message", "duplicate", start);
            return;
        }
        if (m.group()) names.put(m.groupId() + "#" + m.userId(), m.senderName());
        MessageText.Rendered r = MessageText.render(m.segments(), m.selfId(),
                qq -> names.getIfPresent(m.groupId() + "#" + qq));
        String text = r.text().isEmpty() && r.mentionsSelf() ? BARE_MENTION : r.text();
        if (text.isEmpty()) {
            log.debug("OneBot message {} in {} has no content; not stored", m.messageId(), m.chatId());
            record("message", "ignored", start);
            return;
        }
        boolean repliesToBot = r.replyTo() != null && sent.getIfPresent(m.selfId() + "#" + r.replyTo()) != null;
        ReplyPolicy.Reason reason = policy.decide(m, r, repliesToBot);
        ChatRequest request = new ChatRequest(m.chatId(), Long.toString(m.userId()), m.senderName(), text,
                m.messageId());
        Optional<ActionChannel> channel = reason.replies() ? connections.actionsFor(m.selfId()) : Optional.empty();
        try {
            if (channel.isEmpty()) {
                boolean duplicate = chat.observe(request).duplicate();
                if (reason.replies()) { // selected, but no way back: remember it, don't make a reply nobody gets
                    log.warn("no API connection for bot {}; message {} in {} is stored but not answered",
                            m.selfId(), m.messageId(), m.chatId());
                    record("message", "no_connection", start);
                } else {
                    record("message", duplicate ? "duplicate" : "observed", start);
                }
                return;
            }
            ChatResult result = chat.handle(request);
            if (result.duplicate()) {
                record("message", "duplicate", start);
                return;
            }
            log.debug("OneBot answering {} in {} ({})", m.messageId(), m.chatId(), reason);
            record("message", send(m, channel.get(), result.reply()), start);
        } catch (ReplyFailedException e) {
            log.warn("no reply to OneBot message {} in {}: {} (the message is stored)", m.messageId(), m.chatId(),
                    e.getMessage());
            record("message", e.timedOut() ? "reply_timeout" : "reply_failed", start);
        } catch (RuntimeException e) {
            seen.invalidate(m.chatId() + "#" + m.messageId()); // a redelivery may store it (the store is idempotent)
            log.error("OneBot message {} in {} could not be stored", m.messageId(), m.chatId(), e);
            record("message", "store_failed", start);
        }
    }

    /** Sends the reply quoting {@code m}; returns the outcome word. */
    private String send(OneBotEvent.Message m, ActionChannel channel, String reply) {
        long start = System.nanoTime();
        ObjectNode params = json.createObjectNode();
        if (m.group()) params.put("group_id", m.groupId());
        else params.put("user_id", m.userId());
        ArrayNode message = params.putArray("message");
        message.addObject().put("type", "reply").putObject("data").put("id", m.messageId());
        message.addObject().put("type", "text").putObject("data").put("text", reply);
        String outcome;
        try {
            JsonNode data = channel.call(m.group() ? "send_group_msg" : "send_private_msg", params).get();
            String id = data.path("message_id").asText("");
            if (!id.isEmpty()) sent.put(m.selfId() + "#" + id, Boolean.TRUE);
            outcome = SurfaceMetrics.OK;
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            outcome = cause instanceof TimeoutException ? "send_timeout" : "send_failed";
            log.warn("sending the reply to {} in {} failed: {}", m.messageId(), m.chatId(), cause.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "send_failed";
        }
        record("send", outcome, start);
        return outcome;
    }

    private void malformed(long start, String why) {
        log.warn("malformed OneBot frame ignored: {}", why);
        record("frame", "malformed", start);
    }

    private void record(String operation, String outcome, long startNanos) {
        metrics.record(SURFACE, operation, outcome, Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
