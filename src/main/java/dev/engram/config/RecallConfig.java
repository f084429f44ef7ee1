package dev.engram.config;

import java.time.Duration;

/**
 * {@code [recall]}: memory on the reply path.
 *
 * @param timeout     the hard deadline of recall for one reply (the seed's {@code max_timeout = 2.0});
 *                    when it passes the reply goes out with whatever recall has by then
 * @param topK        most memories injected into one reply prompt
 * @param tokenBudget most tokens of memory injected into one reply prompt
 * @param llmMode     LLM-assisted recall: {@code off}; {@code inline} (the seed's behaviour: waited for
 *                    until the deadline); {@code prefetch} (default: prepared in the background after
 *                    each message, used on the next turn)
 */
public record RecallConfig(Duration timeout, int topK, int tokenBudget, String llmMode) {
    static RecallConfig read(Section s) {
        int timeout = s.intValue("timeout_ms", 2_000, 1, 60_000);
        int topK = s.intValue("top_k", 8, 1, 100);
        int budget = s.intValue("token_budget", 1_500, 50, 100_000);
        String mode = s.string("llm_mode", "prefetch", m -> m.equals("off") || m.equals("inline") || m.equals("prefetch"),
                "must be \"off\", \"inline\" or \"prefetch\"");
        s.finish();
        return new RecallConfig(Duration.ofMillis(timeout), topK, budget, mode);
    }
}
