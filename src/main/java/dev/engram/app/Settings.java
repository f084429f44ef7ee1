package dev.engram.app;

import java.time.ZoneId;
import java.util.Map;

import dev.engram.config.ConfigException;
import dev.engram.config.EngramConfig;
import dev.engram.config.LlmConfig;
import dev.engram.config.MemoryConfig;
import dev.engram.config.RecallConfig;
import dev.engram.config.TasksConfig;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.openai.OpenAiSettings;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.graph.GraphSettings;
import dev.engram.memory.instant.InstantMemorySettings;
import dev.engram.memory.recall.LlmRecallMode;
import dev.engram.memory.recall.RecallSettings;
import dev.engram.memory.vector.VectorSettings;
import dev.engram.task.PeriodicSchedule;
import dev.engram.task.TaskEngineSettings;
import dev.engram.task.TaskPolicy;
import dev.engram.task.TaskType;
import dev.engram.memory.recall.RecallCache;

/**
 * The one mapping of the validated configuration onto the settings records of the parts it configures.
 * The configuration supplies every value that has a key (and so every default of one); the settings
 * records supply only their own constants, which no key sets.
 */
final class Settings {
    private Settings() {
    }

    static TaskEngineSettings tasks(TasksConfig t) {
        try {
            return TaskEngineSettings.builder()
                    .workerPermits(t.workerPermits())
                    .reservedInteractive(t.reservedInteractive())
                    .interactiveConcurrency(t.interactiveConcurrency())
                    .interactiveQueueBound(t.interactiveQueueBound())
                    .ingestConcurrency(t.ingestConcurrency())
                    .ingestQueueBound(t.ingestQueueBound())
                    .drainDeadline(t.drainDeadline())
                    .statusRetention(t.statusRetention())
                    .statusMaxEntries(t.statusMaxEntries())
                    .deadLetterMax(t.deadLetterMax())
                    .outboxBatchSize(t.outboxBatchSize())
                    .policy(TaskType.STORE, policy(t.store()))
                    .policy(TaskType.RETRIEVE, policy(t.retrieve()))
                    .policy(TaskType.BUILD, policy(t.build()))
                    .policy(TaskType.FORGET, policy(t.forget()))
                    .policy(TaskType.CONSOLIDATE, policy(t.consolidate()))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tasks." + e.getMessage(), e);
        }
    }

    private static TaskPolicy policy(TasksConfig.Policy p) {
        return new TaskPolicy(p.timeout(), p.maxAttempts(), p.backoffBase(), p.backoffMax(), p.jitter());
    }

    static PeriodicSchedule periodic(EngramConfig c) {
        return new PeriodicSchedule(c.memory().memoryBuildInterval(), c.memory().forgetMemoryInterval(),
                c.memory().consolidateMemoryInterval());
    }

    static VectorSettings vector(EngramConfig c) {
        return VectorSettings.builder()
                .model(c.embedding().model())
                .similarityThreshold(c.embedding().similarityThreshold())
                .messageRetention(c.embedding().messageRetention())
                .memoryRetention(c.embedding().memoryRetention())
                .refreshInterval(c.embedding().indexRefresh())
                .commitInterval(c.embedding().indexCommit())
                .build();
    }

    static RecallSettings recall(EngramConfig c) {
        RecallConfig r = c.recall();
        return RecallSettings.of(r.weights().bySource(), r.topK(), r.tokenBudget(), llmMode(c));
    }

    static LlmRecallMode llmMode(EngramConfig c) {
        return switch (c.recall().llmMode()) {
            case OFF -> LlmRecallMode.OFF;
            case INLINE -> LlmRecallMode.INLINE;
            case PREFETCH -> LlmRecallMode.PREFETCH;
        };
    }

    static StorePipeline.Settings storePipeline(EngramConfig c, ZoneId zone) {
        return new StorePipeline.Settings(c.memory().enableVectorInstantMemory(),
                c.memory().enableLlmInstantMemory(), InstantMemorySettings.defaults(zone));
    }

    /** The configured {@code [memory]} keys, the original's constants for the rest. */
    static GraphSettings graph(MemoryConfig c, ZoneId zone) {
        return GraphSettings.builder().distribution(c.memoryBuildDistribution()).sampleNum(c.memoryBuildSampleNum())
                .sampleLength(c.memoryBuildSampleLength()).compressRate(c.memoryCompressRate())
                .maxMemorizedTimes(c.maxMemorizedTimePerMsg()).banWords(c.memoryBanWords())
                .forgetTime(c.memoryForgetTime()).forgetPercentage(c.memoryForgetPercentage())
                .consolidationThreshold(c.consolidationSimilarityThreshold())
                .consolidationCheckPercentage(c.consolidationCheckPercentage()).zone(zone).build();
    }

    /** The {@code [llm]} keys of an OpenAI-compatible provider, with the API key read from the environment. */
    static OpenAiSettings openAi(LlmConfig c, String apiKey) {
        return new OpenAiSettings(c.baseUrl(), apiKey, Map.of(ModelSlot.REPLY, c.replyModel(),
                ModelSlot.UTILS, c.utilsModel(), ModelSlot.UTILS_SMALL, c.utilsSmallModel()),
                c.connectTimeout(), c.requestTimeout(), c.maxConcurrentCalls(), c.maxConcurrentReplyCalls());
    }

    static RecallCache.Settings recallCache(TasksConfig t) {
        return RecallCache.Settings.of(t.cacheTtl(), t.cacheMaxEntries());
    }
}
