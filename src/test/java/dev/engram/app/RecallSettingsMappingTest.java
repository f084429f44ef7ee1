package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engram.config.EngramConfig;
import dev.engram.memory.recall.LlmRecallMode;
import dev.engram.memory.recall.RecallSettings;

class RecallSettingsMappingTest {
    private static final Path SOURCE = Path.of("/etc/engram/config.toml");

    @Test
    void the_default_weights_are_todays_tuned_fusion_weights() {
        RecallSettings s = DefaultSettings.recall();

        assertThat(s.weights()).isEqualTo(Map.of("lexical", 1.0, "vector", 0.8, "instant", 0.5, "graph", 0.0,
                "llm", 1.0));
        assertThat(s.expanding()).containsExactly("graph");
        assertThat(s.expandFrom()).isEqualTo(5);
        assertThat(s.defaultWeight()).isEqualTo(1.0);
        assertThat(s.rrfK()).isEqualTo(20);
        assertThat(s.perSourceK()).isEqualTo(20);
        assertThat(s.topK()).isEqualTo(8);
        assertThat(s.tokenBudget()).isEqualTo(1_500);
        assertThat(s.llmMode()).isEqualTo(LlmRecallMode.PREFETCH);
    }

    @Test
    void configured_weights_limits_and_mode_reach_the_fusion() {
        EngramConfig c = EngramConfig.parse("""
                [recall]
                top_k = 5
                token_budget = 800
                llm_mode = "inline"
                [recall.weights]
                lexical = 2.0
                vector = 0
                """, SOURCE);

        RecallSettings s = Settings.recall(c);

        assertThat(s.weight("lexical")).isEqualTo(2.0);
        assertThat(s.weight("vector")).isZero();
        assertThat(s.weight("instant")).isEqualTo(0.5);
        assertThat(s.topK()).isEqualTo(5);
        assertThat(s.tokenBudget()).isEqualTo(800);
        assertThat(s.llmMode()).isEqualTo(LlmRecallMode.INLINE);
        assertThat(Settings.llmMode(c)).isEqualTo(LlmRecallMode.INLINE);
    }
}
