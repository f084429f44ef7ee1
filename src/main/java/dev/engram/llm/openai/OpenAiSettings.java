package dev.engram.llm.openai;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import dev.engram.llm.ModelSlot;

/**
 * How {@link OpenAiLlmClient} reaches an OpenAI-compatible provider. Immutable; validated on construction.
 *
 * @param baseUrl            endpoint root including the version, e.g. {@code https://api.deepseek.com/v1};
 *                           requests go to {@code <baseUrl>/chat/completions}
 * @param apiKey             bearer token, or {@code null}/blank for providers without auth (Ollama, vLLM)
 * @param models             the model name of every {@link ModelSlot}
 * @param connectTimeout     TCP connect timeout, &gt; 0
 * @param requestTimeout     deadline of one call, including time spent waiting for a concurrency permit, &gt; 0
 * @param maxConcurrentCalls memory calls (every slot but {@code reply}) in flight at once, &gt;= 1; more wait
 *                           (asynchronously) their turn
 * @param maxConcurrentReplyCalls reply-slot calls in flight at once, &gt;= 1: a bulkhead of their own, so background
 *                           memory work can never take the reply model's capacity
 */
public record OpenAiSettings(URI baseUrl, String apiKey, Map<ModelSlot, String> models, Duration connectTimeout,
                             Duration requestTimeout, int maxConcurrentCalls, int maxConcurrentReplyCalls) {

    /** Settings with the same limit for reply calls and for memory calls (each slot group has its own permits). */
    public OpenAiSettings(URI baseUrl, String apiKey, Map<ModelSlot, String> models, Duration connectTimeout,
                          Duration requestTimeout, int maxConcurrentCalls) {
        this(baseUrl, apiKey, models, connectTimeout, requestTimeout, maxConcurrentCalls, maxConcurrentCalls);
    }

    public OpenAiSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        String scheme = baseUrl.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http:// or https:// URL, was " + baseUrl);
        }
        EnumMap<ModelSlot, String> copy = new EnumMap<>(ModelSlot.class);
        for (ModelSlot slot : ModelSlot.values()) {
            String model = models.get(slot);
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("models must name a model for slot " + slot + ", was " + models);
            }
            copy.put(slot, model.strip());
        }
        models = Map.copyOf(copy);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be > 0, was " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be > 0, was " + requestTimeout);
        }
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be >= 1, was " + maxConcurrentCalls);
        }
        if (maxConcurrentReplyCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentReplyCalls must be >= 1, was " + maxConcurrentReplyCalls);
        }
    }

    /** @return the model configured for {@code slot} */
    public String model(ModelSlot slot) {
        return models.get(Objects.requireNonNull(slot, "slot"));
    }

    /** @return whether an {@code Authorization: Bearer} header is sent */
    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** The API key never appears in logs. */
    @Override
    public String toString() {
        return "OpenAiSettings[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? "***" : "none") + ", models="
                + models + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", maxConcurrentCalls=" + maxConcurrentCalls + "]";
    }
}
