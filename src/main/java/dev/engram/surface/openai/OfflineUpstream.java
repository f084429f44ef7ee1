package dev.engram.surface.openai;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmResponse;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import io.javalin.http.Context;

/**
 * Answers with the configured {@link LlmClient} (the offline provider) instead of an upstream endpoint, and
 * wraps its reply in the shapes OpenAI clients expect: a {@code chat.completion} object, or for
 * {@code stream: true} a {@code chat.completion.chunk} event stream (role and content, then
 * {@code finish_reason: stop}, then {@code data: [DONE]}). The reply prompt is Engram's own: the client's
 * system messages as the persona (Engram's persona when it sent none), the recalled memories, the other
 * messages as history and the last user message. Thread-safe.
 */
final class OfflineUpstream implements Upstream {
    private final LlmClient llm;
    private final Prompts prompts;
    private final String persona;
    private final Duration replyTimeout;

    OfflineUpstream(LlmClient llm, Prompts prompts, String persona, Duration replyTimeout) {
        this.llm = llm;
        this.prompts = prompts;
        this.persona = persona;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public Answer answer(ProxyRequest request, String memoryBlock, Context ctx) throws IOException {
        LlmResponse reply = complete(request, memoryBlock);
        String text = reply.text();
        String id = "chatcmpl-engram-" + UUID.randomUUID();
        long created = Instant.now().getEpochSecond();
        if (request.stream()) {
            ctx.res().setStatus(200);
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            OutputStream out = ctx.res().getOutputStream();
            event(out, chunk(id, created, request.model(), text, null));
            event(out, chunk(id, created, request.model(), null, "stop"));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } else {
            ProxyJson.sendJson(ctx, 200, completion(id, created, request.model(), reply));
        }
        return Answer.ok(200, text);
    }

    private LlmResponse complete(ProxyRequest request, String memoryBlock) {
        Map<String, String> vars = new LinkedHashMap<>();
        StringBuilder system = new StringBuilder();
        StringBuilder history = new StringBuilder();
        JsonNode messages = request.body().path("messages");
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("user".equals(messages.get(i).path("role").asText())) lastUser = i;
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            String content = m.path("content").isTextual() ? m.path("content").asText() : "";
            if (role.equals("system") || role.equals("developer")) append(system, content);
            else if (i != lastUser && !content.isBlank()) append(history, role + ": " + content);
        }
        vars.put("persona", system.isEmpty() ? persona : system.toString());
        vars.put("memory_block", memoryBlock);
        vars.put("history", history.toString());
        vars.put("message", request.userText());
        vars.put("user_name", request.userName() != null ? request.userName() : request.userId() != null ? request.userId() : "用户");
        CompletableFuture<LlmResponse> call = llm.complete(prompts.request(PromptId.REPLY, ModelSlot.REPLY, vars));
        try {
            return call.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw ProxyException.upstream(504, "reply_timeout", "the reply model did not answer within "
                    + replyTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProxyException.upstream(503, "interrupted", "interrupted while waiting for the reply model");
        } catch (ExecutionException e) {
            throw ProxyException.upstream(502, "reply_failed", "the reply model failed: " + e.getCause().getMessage());
        }
    }

    private static void append(StringBuilder b, String line) {
        if (!b.isEmpty()) b.append('\n');
        b.append(line);
    }

    private static ObjectNode completion(String id, long created, String model, LlmResponse reply) {
        ObjectNode c = head(id, "chat.completion", created, model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply.text());
        choice.put("finish_reason", "stop");
        ObjectNode usage = c.putObject("usage");
        usage.put("prompt_tokens", reply.promptTokens());
        usage.put("completion_tokens", reply.completionTokens());
        usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
        return c;
    }

    private static ObjectNode chunk(String id, long created, String model, String text, String finish) {
        ObjectNode c = head(id, "chat.completion.chunk", created, model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (text != null) {
            delta.put("role", "assistant");
            delta.put("content", text);
        }
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        return c;
    }

    private static ObjectNode head(String id, String object, long created, String model) {
        ObjectNode c = ProxyJson.MAPPER.createObjectNode();
        c.put("id", id);
        c.put("object", object);
        c.put("created", created);
        c.put("model", model);
        return c;
    }

    private static void event(OutputStream out, ObjectNode chunk) throws IOException {
        out.write("data: ".getBytes(StandardCharsets.UTF_8));
        out.write(ProxyJson.bytes(chunk));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
