package dev.engram.app;

import java.time.ZoneId;

import dev.engram.config.ConfigException;
import dev.engram.config.EngramConfig;
import dev.engram.config.TasksConfig;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.instant.InstantMemorySettings;
import dev.engram.memory.recall.LlmRecallMode;
import dev.engram.memory.recall.RecallSettings;
import dev.engram.memory.vector.VectorSettings;
import dev.engram.task.PeriodicSchedule;
import dev.engram.task.TaskEngineSettings;
import dev.engram.task.TaskPolicy;
import dev.engram.task.TaskType;
import dev.engram.config.MemoryConfig;
import dev.engram.memory.graph.GraphSettings;

/** Maps the validated configuration onto the settings records of the parts it configures. */
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
                .build();
    }

    static RecallSettings recall(EngramConfig c) {
        return RecallSettings.defaults()
                .withLimits(c.recall().topK(), c.recall().tokenBudget())
                .withLlmMode(llmMode(c));
    }

    static LlmRecallMode llmMode(EngramConfig c) {
        return LlmRecallMode.parse(c.recall().llmMode());
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
}
