package dev.engram.app;

import java.util.Map;
import java.util.function.Function;

import dev.engram.config.ConfigException;
import dev.engram.config.LlmConfig;
import dev.engram.llm.LlmClient;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.openai.OpenAiLlmClient;
import dev.engram.llm.openai.OpenAiSettings;

/** Chooses and builds the LLM client named by {@code llm.provider}. */
final class LlmClients {
    private LlmClients() {
    }

    static LlmClient create(LlmConfig config, Function<String, String> env) {
        return switch (config.provider()) {
            case OFFLINE -> new OfflineLlmClient();
            case OPENAI -> {
                String key = env.apply(config.apiKeyEnv());
                if (key != null && key.isBlank()) key = null;
                if (key == null && !isLoopback(config)) {
                    throw new ConfigException("llm.provider = \"openai\" needs an API key: set the environment variable "
                            + config.apiKeyEnv() + " (named by llm.api_key_env)");
                }
                yield new OpenAiLlmClient(new OpenAiSettings(config.baseUrl(), key,
                        Map.of(ModelSlot.REPLY, config.replyModel(), ModelSlot.UTILS, config.utilsModel(),
                                ModelSlot.UTILS_SMALL, config.utilsSmallModel()),
                        config.connectTimeout(), config.requestTimeout(), config.maxConcurrentCalls()));
            }
        };
    }

    /** Local servers (Ollama, vLLM, the fake LLM) usually need no key. */
    private static boolean isLoopback(LlmConfig config) {
        String host = config.baseUrl().getHost();
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
