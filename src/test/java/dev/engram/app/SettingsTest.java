package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.engram.config.ConfigException;
import dev.engram.config.EngramConfig;

class SettingsTest {
    private static final Path SOURCE = Path.of("/tmp/engram-test/config.toml");

    @Test
    void batching_keys_reach_the_engine_and_the_index() {
        EngramConfig defaults = EngramConfig.parse("", SOURCE);
        EngramConfig unbatched = EngramConfig.parse("""
                [tasks]
                outbox_batch_size = 1
                [embedding]
                index_refresh_ms = 0
                index_commit_s = 1
                """, SOURCE);

        assertThat(Settings.tasks(defaults.tasks()).outboxBatchSize()).isEqualTo(512);
        assertThat(Settings.vector(defaults).refreshInterval()).hasMillis(100);
        assertThat(Settings.vector(defaults).commitInterval()).hasSeconds(60);
        assertThat(Settings.tasks(unbatched.tasks()).outboxBatchSize()).isEqualTo(1);
        assertThat(Settings.vector(unbatched).refreshInterval()).isZero();
        assertThat(Settings.vector(unbatched).commitInterval()).hasSeconds(1);
    }

    @Test
    void an_outbox_batch_below_one_names_the_key() {
        assertThatThrownBy(() -> EngramConfig.parse("""
                [tasks]
                outbox_batch_size = 0
                """, SOURCE)).isInstanceOf(ConfigException.class).hasMessageContaining("tasks.outbox_batch_size");
    }
}
