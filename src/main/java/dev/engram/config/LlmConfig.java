package dev.engram.config;

import java.net.URI;
import java.time.Duration;

/**
 * {@code [llm]}: which language model answers, and how it is called.
 *
 * @param provider           {@code offline} (default, no network, local algorithms) or {@code openai}
 *                           (any OpenAI-compatible chat-completions endpoint)
 * @param baseUrl            endpoint root, e.g. {@code https://api.deepseek.com/v1}
 * @param apiKeyEnv          name of the environment variable holding the API key (the key itself never
 *                           goes into the file)
 * @param replyModel         model of the {@code reply} slot (answers to users)
 * @param utilsModel         model of the {@code utils} slot (memory extraction, summaries)
 * @param utilsSmallModel    model of the {@code utils_small} slot (keywords, topics)
 * @param connectTimeout     TCP connect timeout
 * @param requestTimeout     whole-call timeout of one LLM request
 * @param maxConcurrentCalls memory calls (utils, utils_small) in flight at once; more wait their turn
 * @param maxConcurrentReplyCalls reply calls in flight at once: their own limit, never taken by memory work
 */
public record LlmConfig(Provider provider, URI baseUrl, String apiKeyEnv, String replyModel, String utilsModel,
                        String utilsSmallModel, Duration connectTimeout, Duration requestTimeout,
                        int maxConcurrentCalls, int maxConcurrentReplyCalls) {
    /** The LLM implementations Engram ships; {@code llm.provider} names them in lower case. */
    public enum Provider { OFFLINE, OPENAI }

    /** The built-in defaults of {@code [llm]} and {@code [llm.models]}. */
    public static final LlmConfig DEFAULTS = new LlmConfig(Provider.OFFLINE, URI.create("http://127.0.0.1:11434/v1"),
            "ENGRAM_LLM_API_KEY", "gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini", Duration.ofSeconds(5),
            Duration.ofSeconds(60), 8, 8);

    static LlmConfig read(Section s) {
        Provider provider = s.choice("provider", DEFAULTS.provider);
        String base = s.string("base_url", DEFAULTS.baseUrl.toString(), LlmConfig::isHttpUrl,
                "must be an http:// or https:// URL");
        String keyEnv = s.string("api_key_env", DEFAULTS.apiKeyEnv, e -> e.matches("[A-Za-z_][A-Za-z0-9_]*"),
                "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        Section models = s.section("models");
        String reply = models.string("reply", DEFAULTS.replyModel, m -> !m.isBlank(), "must not be blank");
        String utils = models.string("utils", DEFAULTS.utilsModel, m -> !m.isBlank(), "must not be blank");
        String small = models.string("utils_small", DEFAULTS.utilsSmallModel, m -> !m.isBlank(), "must not be blank");
        models.finish();
        int connect = s.intValue("connect_timeout_ms", (int) DEFAULTS.connectTimeout.toMillis(), 100, 120_000);
        int request = s.intValue("request_timeout_ms", (int) DEFAULTS.requestTimeout.toMillis(), 100, 600_000);
        int concurrent = s.intValue("max_concurrent_calls", DEFAULTS.maxConcurrentCalls, 1, 1_024);
        int replies = s.intValue("max_concurrent_reply_calls", DEFAULTS.maxConcurrentReplyCalls, 1, 1_024);
        s.finish();
        return new LlmConfig(provider, URI.create(stripSlash(base)), keyEnv, reply, utils, small,
                Duration.ofMillis(connect), Duration.ofMillis(request), concurrent, replies);
    }

    private static boolean isHttpUrl(String u) {
        try {
            URI uri = URI.create(u);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripSlash(String u) {
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
