package dev.engram.memory.instant;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmRequest;
import dev.engram.llm.LlmResponse;
import dev.engram.llm.PromptId;

/**
 * A test {@link LlmClient} that answers each prompt with scripted texts (the last one repeats), or passes
 * unscripted prompts to a real client, and records every request. Thread-safe (synchronised).
 */
public final class ScriptedLlmClient implements LlmClient {
    private final Map<PromptId, Deque<String>> answers = new EnumMap<>(PromptId.class);
    private final List<LlmRequest> requests = new ArrayList<>();
    private final LlmClient unscripted;

    /** Only scripted answers: an unscripted prompt fails. */
    public ScriptedLlmClient() {
        this.unscripted = null;
    }

    /** @param unscripted answers the prompts that have no scripted answer (e.g. the offline client) */
    public ScriptedLlmClient(LlmClient unscripted) {
        this.unscripted = unscripted;
    }

    /** Scripts the answers to {@code prompt}, in order; the last one is repeated. */
    public synchronized ScriptedLlmClient answer(PromptId prompt, String... texts) {
        answers.put(prompt, new ArrayDeque<>(List.of(texts)));
        return this;
    }

    public synchronized List<LlmRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized long count(PromptId prompt) {
        return requests.stream().filter(r -> r.prompt() == prompt).count();
    }

    @Override
    public synchronized CompletableFuture<LlmResponse> complete(LlmRequest request) {
        requests.add(request);
        Deque<String> queue = answers.get(request.prompt());
        if ((queue == null || queue.isEmpty()) && unscripted != null) return unscripted.complete(request);
        if (queue == null || queue.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no scripted answer for " + request.prompt()));
        }
        String text = queue.size() > 1 ? queue.poll() : queue.peek();
        return CompletableFuture.completedFuture(new LlmResponse(text, "scripted", 1, 1, Duration.ZERO));
    }

    @Override
    public String name() {
        return "scripted";
    }
}
