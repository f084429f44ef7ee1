package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engram.config.MemoryConfig;
import dev.engram.memory.graph.GraphSettings;

class GraphSettingsMappingTest {
    @Test
    void takes_the_memory_keys_from_the_config_and_the_originals_constants_for_the_rest() {
        MemoryConfig config = new MemoryConfig(true, true, true, true, Duration.ofSeconds(600),
                List.of(5.0, 2.0, 0.5, 30.0, 10.0, 0.5), 6, 20, 0.2, 3, Duration.ofSeconds(3000), Duration.ofHours(24),
                0.01, Duration.ofSeconds(1000), 0.8, 0.1, List.of("图片"), false);

        GraphSettings s = Settings.graph(config, ZoneId.of("Asia/Shanghai"));

        assertThat(s.distribution()).containsExactly(5.0, 2.0, 0.5, 30.0, 10.0, 0.5);
        assertThat(s.sampleNum()).isEqualTo(6);
        assertThat(s.sampleLength()).isEqualTo(20);
        assertThat(s.compressRate()).isEqualTo(0.2);
        assertThat(s.maxMemorizedTimes()).isEqualTo(3);
        assertThat(s.forgetTime()).isEqualTo(Duration.ofHours(24));
        assertThat(s.forgetPercentage()).isEqualTo(0.01);
        assertThat(s.consolidationThreshold()).isEqualTo(0.8);
        assertThat(s.consolidationCheckPercentage()).isEqualTo(0.1);
        assertThat(s.banWords()).containsExactly("图片");
        assertThat(s.similarTopicThreshold()).isEqualTo(0.7);
        assertThat(s.similarTopicLimit()).isEqualTo(3);
        assertThat(s.minWindow()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.maxWindow()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(s.retryShift()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.snippetTries()).isEqualTo(3);
        assertThat(s.forgetMergeThreshold()).isEqualTo(0.8);
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void a_memory_key_never_mapped_fails_naming_the_field() {
        assertThatThrownBy(() -> GraphSettings.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessage("distribution not set");
    }

    @Test
    void rejects_invalid_values_naming_the_rule() {
        GraphSettings d = DefaultSettings.graph();
        assertThatThrownBy(() -> d.toBuilder().distribution(List.of(1.0, 0.0, 1.0, 2.0, 1.0, 1.0)).build())
                .hasMessageContaining("distribution");
        assertThatThrownBy(() -> d.toBuilder().window(Duration.ofSeconds(600), Duration.ofSeconds(300)).build())
                .hasMessageContaining("minWindow");
        assertThatThrownBy(() -> d.toBuilder().recallMatchThreshold(0).build())
                .hasMessageContaining("recallMatchThreshold");
        assertThatThrownBy(() -> d.toBuilder().banWords(List.of(" ")).build()).hasMessageContaining("ban word");
    }
}
