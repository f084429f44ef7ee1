package dev.engram.app;

import java.util.Optional;
import java.util.function.Function;

import dev.engram.config.ConfigException;
import dev.engram.config.LlmConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.openai.OpenAiLlmClient;

/** Chooses and builds the LLM client named by {@code llm.provider}. */
final class LlmClients {
    private LlmClients() {
    }

    static LlmClient create(LlmConfig config, Function<String, String> env) {
        return switch (config.provider()) {
            case OFFLINE -> new OfflineLlmClient();
            case OPENAI -> {
                String key = apiKey(config, env).orElse(null);
                if (key == null && !isLoopback(config)) {
                    throw new ConfigException("llm.provider = \"openai\" needs an API key: set the environment variable "
                            + config.apiKeyEnv() + " (named by llm.api_key_env)");
                }
                yield new OpenAiLlmClient(Settings.openAi(config, key));
            }
        };
    }

    /** The key named by {@code llm.api_key_env}, when that variable is set and not blank. */
    static Optional<String> apiKey(LlmConfig config, Function<String, String> env) {
        String key = env.apply(config.apiKeyEnv());
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key);
    }

    /** Local servers (Ollama, vLLM, the fake LLM) usually need no key. */
    private static boolean isLoopback(LlmConfig config) {
        String host = config.baseUrl().getHost();
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
