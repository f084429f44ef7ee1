package dev.engram.config;

import java.util.Optional;

/**
 * {@code [proxy]}: the OpenAI-compatible memory proxy ({@code POST /v1/chat/completions},
 * {@code GET /v1/models}) on the API's port. It forwards to {@code [llm]}'s endpoint (or answers with the
 * offline provider) and needs the API token when {@code server.api_token} is set.
 *
 * @param enabled      whether the {@code /v1} routes exist; on by default (they listen where the API
 *                     does, behind the same token, and do nothing until a client calls them)
 * @param model        model sent upstream instead of the client's; empty = the client's own
 * @param defaultChat  Engram chat of requests that name none (no {@code X-Engram-Chat} header, no {@code user})
 * @param maxBodyBytes largest request body accepted (chat histories are long); larger ones get HTTP 413
 */
public record ProxyConfig(boolean enabled, Optional<String> model, String defaultChat, int maxBodyBytes) {
    /** The built-in defaults of {@code [proxy]}. */
    public static final ProxyConfig DEFAULTS = new ProxyConfig(true, Optional.empty(), "openai", 4 * 1024 * 1024);

    static ProxyConfig read(Section s) {
        boolean enabled = s.bool("enabled", DEFAULTS.enabled);
        String model = s.string("model", DEFAULTS.model.orElse(""), m -> m.equals(m.strip()),
                "must be empty (the client's model) or a model name without surrounding spaces");
        String chat = s.string("default_chat", DEFAULTS.defaultChat, c -> !c.isBlank() && c.length() <= 128,
                "must be a non-blank chat id of at most 128 characters");
        int maxBody = s.intValue("max_body_bytes", DEFAULTS.maxBodyBytes, 1_024, 64 * 1024 * 1024);
        s.finish();
        return new ProxyConfig(enabled, model.isEmpty() ? Optional.empty() : Optional.of(model), chat, maxBody);
    }
}
