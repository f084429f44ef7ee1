package dev.engram.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code [memory]}: the seed note's and the original system's memory keys, with the original
 * template's values as defaults (see {@code reference/original-system.md} §2.2).
 *
 * @param enableMemory                     master switch; off = no recall, no memory tasks
 * @param enableInstantMemory              recall instant memory on the reply path
 * @param enableLlmInstantMemory           let the LLM judge and write instant memories
 * @param enableVectorInstantMemory        embed and index messages for vector recall
 * @param memoryBuildInterval              period of the graph build task (seed: 600 s)
 * @param memoryBuildDistribution          bimodal sampling: mean h, std h, weight, mean h, std h, weight
 * @param memoryBuildSampleNum             snippets sampled per build
 * @param memoryBuildSampleLength          messages per snippet
 * @param memoryCompressRate               topics per rendered line of a snippet
 * @param maxMemorizedTimePerMsg           a message is sampled at most this often
 * @param forgetMemoryInterval             period of the forget task
 * @param memoryForgetTime                 age after which nodes and edges start to fade
 * @param memoryForgetPercentage           share of nodes and edges checked per forget pass
 * @param consolidateMemoryInterval        period of the consolidate task
 * @param consolidationSimilarityThreshold items or concepts at least this similar are merged
 * @param consolidationCheckPercentage     share of nodes checked per consolidate pass
 * @param memoryBanWords                   topics containing any of these are dropped
 * @param forgetKeepsMessages              forgetting a speaker or chat keeps the raw message rows (marked, never
 *                                         memorised again) and removes everything remembered of them
 */
public record MemoryConfig(boolean enableMemory, boolean enableInstantMemory, boolean enableLlmInstantMemory,
                           boolean enableVectorInstantMemory, Duration memoryBuildInterval,
                           List<Double> memoryBuildDistribution, int memoryBuildSampleNum,
                           int memoryBuildSampleLength, double memoryCompressRate, int maxMemorizedTimePerMsg,
                           Duration forgetMemoryInterval, Duration memoryForgetTime, double memoryForgetPercentage,
                           Duration consolidateMemoryInterval, double consolidationSimilarityThreshold,
                           double consolidationCheckPercentage, List<String> memoryBanWords,
                           boolean forgetKeepsMessages) {
    /** The built-in defaults of {@code [memory]}: the original template's values. */
    public static final MemoryConfig DEFAULTS = new MemoryConfig(true, true, true, true, Duration.ofSeconds(600),
            List.of(6.0, 3.0, 0.6, 32.0, 12.0, 0.4), 8, 30, 0.1, 2, Duration.ofSeconds(3_000), Duration.ofHours(48),
            0.008, Duration.ofSeconds(1_000), 0.7, 0.05, List.of("表情包", "图片", "回复", "聊天记录"), false);

    static MemoryConfig read(Section s) {
        MemoryConfig d = DEFAULTS;
        boolean enable = s.bool("enable_memory", d.enableMemory);
        boolean instant = s.bool("enable_instant_memory", d.enableInstantMemory);
        boolean llmInstant = s.bool("enable_llm_instant_memory", d.enableLlmInstantMemory);
        boolean vectorInstant = s.bool("enable_vector_instant_memory", d.enableVectorInstantMemory);
        long buildInterval = seconds(s, "memory_build_interval", d.memoryBuildInterval);
        List<Double> distribution = s.numbers("memory_build_distribution", d.memoryBuildDistribution,
                MemoryConfig::validDistribution,
                "must be 6 numbers [mean1_h, std1_h, weight1, mean2_h, std2_h, weight2] with means >= 0, "
                        + "stds > 0, weights >= 0 and weight1 + weight2 > 0");
        int sampleNum = s.intValue("memory_build_sample_num", d.memoryBuildSampleNum, 1, 1_000);
        int sampleLength = s.intValue("memory_build_sample_length", d.memoryBuildSampleLength, 1, 10_000);
        double compress = s.number("memory_compress_rate", d.memoryCompressRate, v -> v > 0 && v <= 1,
                "must be in (0, 1]");
        int maxMemorized = s.intValue("max_memorized_time_per_msg", d.maxMemorizedTimePerMsg, 1, 100);
        long forgetInterval = seconds(s, "forget_memory_interval", d.forgetMemoryInterval);
        long forgetHours = s.integer("memory_forget_time", d.memoryForgetTime.toHours(), h -> h >= 1 && h <= 87_600,
                "must be a whole number of hours in [1, 87600]");
        double forgetPct = s.number("memory_forget_percentage", d.memoryForgetPercentage, v -> v > 0 && v <= 1,
                "must be in (0, 1]");
        long consolidateInterval = seconds(s, "consolidate_memory_interval", d.consolidateMemoryInterval);
        double simThreshold = s.number("consolidation_similarity_threshold", d.consolidationSimilarityThreshold,
                v -> v > 0 && v <= 1, "must be in (0, 1]");
        double checkPct = s.number("consolidation_check_percentage", d.consolidationCheckPercentage,
                v -> v > 0 && v <= 1, "must be in (0, 1]");
        List<String> banWords = s.strings("memory_ban_words", d.memoryBanWords);
        if (banWords.stream().anyMatch(String::isBlank)) {
            throw new ConfigException(s.key("memory_ban_words") + " must not contain blank words");
        }
        boolean keepMessages = s.bool("forget_keeps_messages", d.forgetKeepsMessages);
        s.finish();
        return new MemoryConfig(enable, instant, llmInstant, vectorInstant, Duration.ofSeconds(buildInterval),
                distribution, sampleNum, sampleLength, compress, maxMemorized, Duration.ofSeconds(forgetInterval),
                Duration.ofHours(forgetHours), forgetPct, Duration.ofSeconds(consolidateInterval), simThreshold,
                checkPct, banWords, keepMessages);
    }

    private static long seconds(Section s, String key, Duration def) {
        return s.integer(key, def.toSeconds(), v -> v >= 1 && v <= 31_536_000, "must be a whole number of seconds in [1, 31536000]");
    }

    private static boolean validDistribution(List<Double> d) {
        return d.size() == 6 && d.get(0) >= 0 && d.get(3) >= 0 && d.get(1) > 0 && d.get(4) > 0
                && d.get(2) >= 0 && d.get(5) >= 0 && d.get(2) + d.get(5) > 0;
    }
}
