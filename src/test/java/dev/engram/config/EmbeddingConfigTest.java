package dev.engram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class EmbeddingConfigTest {
    private static final Path SOURCE = Path.of("/tmp/engram-test/config.toml");

    @Test
    void each_model_has_its_own_calibrated_threshold_and_the_configured_models_applies() {
        EngramConfig defaults = EngramConfig.parse("", SOURCE);
        EngramConfig minilm = EngramConfig.parse("""
                [embedding]
                model = "all-minilm-l6-v2"
                """, SOURCE);

        assertThat(defaults.embedding().similarityThreshold()).isEqualTo(0.47);
        assertThat(minilm.embedding().similarityThreshold()).isEqualTo(0.31);
    }

    @Test
    void a_threshold_can_be_overridden_per_model() {
        EngramConfig c = EngramConfig.parse("""
                [embedding]
                model = "all-minilm-l6-v2"
                [embedding.similarity_thresholds]
                "all-minilm-l6-v2" = 0.25
                """, SOURCE);

        assertThat(c.embedding().similarityThreshold()).isEqualTo(0.25);
        assertThat(c.embedding().similarityThresholds()).containsEntry("bge-small-zh-v1.5", 0.47);
    }

    @Test
    void a_bad_threshold_or_an_unknown_model_key_names_the_key() {
        assertThatThrownBy(() -> EngramConfig.parse("""
                [embedding.similarity_thresholds]
                "bge-small-zh-v1.5" = 1.5
                """, SOURCE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embedding.similarity_thresholds.bge-small-zh-v1.5 must be in [0, 1]");
        assertThatThrownBy(() -> EngramConfig.parse("""
                [embedding.similarity_thresholds]
                "e5-large" = 0.5
                """, SOURCE)).isInstanceOf(ConfigException.class).hasMessageContaining("e5-large");
    }

    @Test
    void index_refresh_and_commit_intervals_have_defaults_and_bounds() {
        EngramConfig defaults = EngramConfig.parse("", SOURCE);
        EngramConfig set = EngramConfig.parse("""
                [embedding]
                index_refresh_ms = 0
                index_commit_s = 5
                """, SOURCE);

        assertThat(defaults.embedding().indexRefresh()).hasMillis(100);
        assertThat(defaults.embedding().indexCommit()).hasSeconds(60);
        assertThat(set.embedding().indexRefresh()).isZero();
        assertThat(set.embedding().indexCommit()).hasSeconds(5);
        assertThatThrownBy(() -> EngramConfig.parse("""
                [embedding]
                index_refresh_ms = 1001
                """, SOURCE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embedding.index_refresh_ms must be an integer in [0, 1000]");
        assertThatThrownBy(() -> EngramConfig.parse("""
                [embedding]
                index_commit_s = 0
                """, SOURCE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("embedding.index_commit_s must be an integer in [1, 3600]");
    }
}
