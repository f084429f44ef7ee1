package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.engram.app.DefaultSettings;

class VectorSettingsTest {
    @Test
    void the_configured_defaults_and_the_index_constants_are_the_documented_ones() {
        VectorSettings s = DefaultSettings.vector();

        assertThat(s.model()).isEqualTo("bge-small-zh-v1.5");
        assertThat(s.similarityThreshold()).isEqualTo(0.47);
        assertThat(s.topK()).isEqualTo(20);
        assertThat(s.messageRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(s.memoryRetention()).isEqualTo(Duration.ofDays(365));
        assertThat(s.rebuildBatchSize()).isEqualTo(256);
        assertThat(s.embedBatchSize()).isEqualTo(32);
        assertThat(s.queryCacheSize()).isEqualTo(1024);
        assertThat(s.refreshInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.commitInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.exactSearchLimit()).isEqualTo(5_000);
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void a_configured_field_never_set_fails_naming_it() {
        assertThatThrownBy(() -> VectorSettings.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessage("model not set");
        assertThatThrownBy(() -> VectorSettings.builder().model(OnnxEmbedder.BGE_SMALL_ZH).similarityThreshold(0.5)
                .messageRetention(Duration.ofDays(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("memoryRetention not set");
    }

    @Test
    void invalid_values_are_rejected_naming_the_field_and_the_rule() {
        VectorSettings d = DefaultSettings.vector();
        assertThatThrownBy(() -> d.toBuilder().model("word2vec").build())
                .hasMessage("model must be one of [bge-small-zh-v1.5, all-minilm-l6-v2], was 'word2vec'");
        assertThatThrownBy(() -> d.toBuilder().similarityThreshold(1.5).build())
                .hasMessage("similarityThreshold must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> d.toBuilder().topK(0).build()).hasMessageStartingWith("topK must be in [1, 1000]");
        assertThatThrownBy(() -> d.toBuilder().messageRetention(Duration.ZERO).build())
                .hasMessageStartingWith("messageRetention must be > 0");
        assertThatThrownBy(() -> d.toBuilder().memoryRetention(Duration.ofDays(7)).build())
                .hasMessage("memoryRetention must be >= messageRetention (PT720H), was PT168H");
        assertThatThrownBy(() -> d.toBuilder().embedBatchSize(0).build())
                .hasMessageStartingWith("embedBatchSize must be in [1, 1024]");
        assertThatThrownBy(() -> d.toBuilder().refreshInterval(Duration.ofSeconds(2)).build())
                .hasMessageStartingWith("refreshInterval must be in [0, 1s]");
        assertThatThrownBy(() -> d.toBuilder().commitInterval(Duration.ofMillis(10)).build())
                .hasMessageStartingWith("commitInterval must be in [1s, 1h]");
        assertThatThrownBy(() -> d.toBuilder().exactSearchLimit(-1).build())
                .hasMessageStartingWith("exactSearchLimit must be in [0, 10000000]");
    }
}
