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
 * @param maxConcurrentCalls calls in flight at once; more wait their turn
 */
public record LlmConfig(Provider provider, URI baseUrl, String apiKeyEnv, String replyModel, String utilsModel,
                        String utilsSmallModel, Duration connectTimeout, Duration requestTimeout,
                        int maxConcurrentCalls) {
    /** The LLM implementations Engram ships. */
    public enum Provider { OFFLINE, OPENAI }

    static LlmConfig read(Section s) {
        String provider = s.string("provider", "offline", p -> p.equals("offline") || p.equals("openai"),
                "must be \"offline\" or \"openai\"");
        String base = s.string("base_url", "http://127.0.0.1:11434/v1", LlmConfig::isHttpUrl,
                "must be an http:// or https:// URL");
        String keyEnv = s.string("api_key_env", "ENGRAM_LLM_API_KEY", e -> e.matches("[A-Za-z_][A-Za-z0-9_]*"),
                "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        Section models = s.section("models");
        String reply = models.string("reply", "gpt-4o-mini", m -> !m.isBlank(), "must not be blank");
        String utils = models.string("utils", "gpt-4o-mini", m -> !m.isBlank(), "must not be blank");
        String small = models.string("utils_small", "gpt-4o-mini", m -> !m.isBlank(), "must not be blank");
        models.finish();
        int connect = s.intValue("connect_timeout_ms", 5_000, 100, 120_000);
        int request = s.intValue("request_timeout_ms", 60_000, 100, 600_000);
        int concurrent = s.intValue("max_concurrent_calls", 8, 1, 1_024);
        s.finish();
        return new LlmConfig(Provider.valueOf(provider.toUpperCase()), URI.create(stripSlash(base)), keyEnv, reply,
                utils, small, Duration.ofMillis(connect), Duration.ofMillis(request), concurrent);
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
