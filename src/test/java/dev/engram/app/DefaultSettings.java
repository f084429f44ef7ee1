package dev.engram.app;

import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;

import dev.engram.config.EngramConfig;
import dev.engram.config.LlmConfig;
import dev.engram.config.TasksConfig;
import dev.engram.llm.openai.OpenAiSettings;
import dev.engram.memory.graph.GraphSettings;
import dev.engram.memory.recall.RecallSettings;
import dev.engram.memory.vector.VectorSettings;
import dev.engram.task.TaskEngineSettings;
import dev.engram.memory.recall.RecallCache;
import java.time.Clock;

/**
 * The built-in settings of each part, made the way the server makes them: the configuration defaults
 * mapped through {@link Settings}. Tests start from these and change what they test.
 */
public final class DefaultSettings {
    private static final EngramConfig DEFAULTS = EngramConfig.defaults(Path.of("."));

    private DefaultSettings() {
    }

    public static TaskEngineSettings tasks() {
        return Settings.tasks(TasksConfig.DEFAULTS);
    }

    public static VectorSettings vector() {
        return Settings.vector(DEFAULTS);
    }

    public static RecallSettings recall() {
        return Settings.recall(DEFAULTS);
    }

    /** Graph settings in the system zone. */
    public static GraphSettings graph() {
        return graph(ZoneId.systemDefault());
    }

    public static GraphSettings graph(ZoneId zone) {
        return Settings.graph(DEFAULTS.memory(), zone);
    }

    /** The {@code [llm]} defaults pointed at {@code baseUrl} with {@code model} in every slot and no API key. */
    public static OpenAiSettings openAi(URI baseUrl, String model) {
        LlmConfig d = LlmConfig.DEFAULTS;
        return Settings.openAi(new LlmConfig(LlmConfig.Provider.OPENAI, baseUrl, d.apiKeyEnv(), model, model, model,
                d.connectTimeout(), d.requestTimeout(), d.maxConcurrentCalls(), d.maxConcurrentReplyCalls()), null);
    }

    /** The instance's one recall cache with the configured defaults. */
    public static RecallCache recallCache(Clock clock) {
        return new RecallCache(Settings.recallCache(TasksConfig.DEFAULTS), clock);
    }
}
