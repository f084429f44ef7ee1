package dev.engram.surface.openai;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.chat.ChatService;
import dev.engram.config.ProxyConfig;
import dev.engram.model.RecallStatus;
import dev.engram.surface.SurfaceMetrics;
import dev.engram.text.Unicode;
import io.javalin.http.Context;

/**
 * {@code POST /v1/chat/completions}: read the client's request ▸ store its last user message and recall
 * memories for it under the recall deadline ({@link ChatService#begin}) ▸ answer through the upstream with
 * the memories as a system message ▸ once the client has the whole answer, store the reply
 * ({@link ChatService#finish}) on the replies executor, so the handler returns at once. A memory failure (intake or recall) only means an answer without memory,
 * and a failure to store the reply is logged: neither fails the call. Thread-safe (one instance serves
 * every request, each on its own virtual thread).
 */
final class CompletionRoute {
    static final String SURFACE = "openai";
    private static final Logger log = LoggerFactory.getLogger(CompletionRoute.class);

    private final ProxyConfig config;
    private final ChatService chat;
    private final Upstream upstream;
    private final SurfaceMetrics metrics;
    private final Executor replies;

    /** @param replies runs the storing of replies, after the client has its answer */
    CompletionRoute(ProxyConfig config, ChatService chat, Upstream upstream, SurfaceMetrics metrics, Executor replies) {
        this.config = config;
        this.chat = chat;
        this.upstream = upstream;
        this.metrics = metrics;
        this.replies = replies;
    }

    void handle(Context ctx) throws IOException {
        long start = System.nanoTime();
        String outcome = "bad_request";
        try {
            ProxyRequest request = ProxyRequest.parse(body(ctx), ctx.header(ProxyRequest.CHAT_HEADER),
                    ctx.header(ProxyRequest.MESSAGE_ID_HEADER), config.defaultChat(), config.model());
            ctx.attribute("engram.chat", request.chatId()); // the API's request log names the chat
            Optional<ChatService.Turn> turn = begin(request);
            String memoryBlock = turn.map(t -> chat.memoryBlock(t.used())).orElse("");
            Upstream.Answer answer = upstream.answer(request, memoryBlock, ctx);
            outcome = answer.outcome();
            // the client has its whole answer; storing the reply must not hold up its connection's next request
            turn.filter(t -> !t.intake().duplicate() && answer.reply() != null)
                    .ifPresent(t -> replies.execute(() -> finish(t, answer.reply())));
        } catch (ProxyException e) {
            outcome = e.outcome();
            ProxyJson.sendError(ctx, e);
        } catch (IOException e) {
            outcome = "disconnected"; // the client or the upstream went away mid-answer; nothing more to send
            log.info("proxied completion cut short: {}", e.toString());
        } finally {
            metrics.record(SURFACE, "chat.completions", outcome, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Optional<ChatService.Turn> begin(ProxyRequest request) {
        if (!Unicode.hasVisibleText(request.userText())) return Optional.empty();
        ChatService.Turn turn;
        try {
            turn = chat.begin(request.chatRequest());
        } catch (IllegalArgumentException e) {
            throw ProxyException.badRequest("invalid_messages", "the last user message is not valid text: " + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("memory intake failed for chat={}; answering without memory", request.chatId(), e);
            metrics.record(SURFACE, "memory", "error", Duration.ZERO);
            return Optional.empty();
        }
        if (!turn.intake().duplicate()) {
            metrics.record(SURFACE, "memory", turn.recall().status() == RecallStatus.TIMEOUT ? "timeout" : SurfaceMetrics.OK,
                    turn.memoryTime());
        }
        return Optional.of(turn);
    }

    private void finish(ChatService.Turn turn, String reply) {
        if (reply == null || !Unicode.hasVisibleText(reply)) return;
        try {
            chat.finish(turn, reply);
        } catch (RuntimeException e) {
            log.warn("storing the proxied reply failed for chat={} (the client has its answer)",
                    turn.message().chatId(), e);
        }
    }

    /** The raw body, refused with 413 past {@code [proxy] max_body_bytes} (read directly: the API's limit is for its own routes). */
    private byte[] body(Context ctx) throws IOException {
        int max = config.maxBodyBytes();
        if (ctx.req().getContentLengthLong() > max) throw tooLarge(max);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) throw tooLarge(max);
            return bytes;
        }
    }

    private static ProxyException tooLarge(int max) {
        return new ProxyException(413, "invalid_request_error", "body_too_large",
                "the request body exceeds the limit of " + max + " bytes ([proxy] max_body_bytes)");
    }
}
