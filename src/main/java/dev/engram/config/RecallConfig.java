package dev.engram.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code [recall]}: memory on the reply path.
 *
 * @param timeout     the hard deadline of recall for one reply (the seed's {@code max_timeout = 2.0});
 *                    when it passes the reply goes out with whatever recall has by then
 * @param topK        most memories injected into one reply prompt
 * @param tokenBudget most tokens of memory injected into one reply prompt
 * @param llmMode     how LLM-assisted recall takes part
 * @param weights     {@code [recall.weights]}: the fusion weight of each recall source
 */
public record RecallConfig(Duration timeout, int topK, int tokenBudget, LlmMode llmMode, Weights weights) {
    /** {@code recall.llm_mode}. */
    public enum LlmMode {
        /** Never: recall is local only. */
        OFF,
        /** The seed's behaviour: asked for each reply and waited for until the recall deadline, dropped if late. */
        INLINE,
        /** Prepared in the background after each message, used on the chat's next turn (costs the reply nothing). */
        PREFETCH
    }

    /**
     * {@code [recall.weights]}: a candidate at rank {@code r} of a source earns {@code weight / (k + r)} in the
     * reciprocal-rank fusion; 0 mutes a source (it is not even asked). Every weight is finite and &gt;= 0, at least
     * one &gt; 0. The graph only expands from the other sources' top hits (it never votes on its own). The defaults
     * were fitted by {@code engram eval --fit} on half A of the dev set (dev-en-1, dev-zh-1; offline LLM,
     * bge-small-zh at its calibrated threshold) and hold on half B: recall@10 of categories 1–4 on B 0.712 against
     * 0.708 with the previous 1.0 / 0.8 / 0.3 / 0.8 / 1.0, and the swap (fitted on B) 0.712 against 0.706 on A.
     * Both fits mute the graph: on the dev set it adds nothing to recall@10 as a voter or as an expansion.
     *
     * @param lexical BM25 over messages and memories
     * @param vector  kNN over the embeddings
     * @param instant instant-memory keyword and time recall
     * @param graph   graph-memory activation
     * @param llm     LLM-assisted instant recall
     */
    public record Weights(double lexical, double vector, double instant, double graph, double llm) {
        /** The weights by source name (the key names are the source names). */
        public Map<String, Double> bySource() {
            return Map.of("lexical", lexical, "vector", vector, "instant", instant, "graph", graph, "llm", llm);
        }

        static Weights read(Section s) {
            Weights d = DEFAULTS.weights;
            Weights w = new Weights(weight(s, "lexical", d.lexical), weight(s, "vector", d.vector),
                    weight(s, "instant", d.instant), weight(s, "graph", d.graph), weight(s, "llm", d.llm));
            s.finish();
            if (w.lexical + w.vector + w.instant + w.graph + w.llm <= 0) {
                throw new ConfigException(s.path() + " must give at least one source a weight > 0 (got all 0)");
            }
            return w;
        }

        private static double weight(Section s, String name, double def) {
            return s.number(name, def, d -> d >= 0, "must be a finite number >= 0");
        }
    }

    /** The built-in defaults of {@code [recall]} and {@code [recall.weights]}. */
    public static final RecallConfig DEFAULTS = new RecallConfig(Duration.ofSeconds(2), 8, 1_500, LlmMode.PREFETCH,
            new Weights(1.0, 0.8, 0.5, 0.0, 1.0));

    static RecallConfig read(Section s) {
        int timeout = s.intValue("timeout_ms", (int) DEFAULTS.timeout.toMillis(), 1, 60_000);
        int topK = s.intValue("top_k", DEFAULTS.topK, 1, 100);
        int budget = s.intValue("token_budget", DEFAULTS.tokenBudget, 50, 100_000);
        LlmMode mode = s.choice("llm_mode", DEFAULTS.llmMode);
        Weights weights = Weights.read(s.section("weights"));
        s.finish();
        return new RecallConfig(Duration.ofMillis(timeout), topK, budget, mode, weights);
    }
}
