package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.engram.app.DefaultSettings;

class TaskEngineSettingsTest {
    @Test
    void the_configured_defaults_map_to_valid_settings_that_match_the_seed() {
        TaskEngineSettings d = DefaultSettings.tasks();
        assertThat(d.prefetch().maxAttempts()).as("a prefetch is never retried").isEqualTo(1);
        assertThat(d.retrieve().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.concurrency(Lane.MAINTENANCE)).isEqualTo(1);
        assertThat(d.policy(TaskType.BUILD)).isSameAs(d.build());
        assertThat(d.toBuilder().build()).isEqualTo(d);
    }

    @Test
    void the_builder_starts_from_the_engine_constants_that_no_key_sets() {
        TaskEngineSettings.Builder b = TaskEngineSettings.builder();
        TaskEngineSettings d = DefaultSettings.tasks();
        TaskEngineSettings s = b.workerPermits(d.workerPermits()).reservedInteractive(d.reservedInteractive())
                .interactiveConcurrency(d.interactiveConcurrency()).interactiveQueueBound(d.interactiveQueueBound())
                .ingestConcurrency(d.ingestConcurrency()).ingestQueueBound(d.ingestQueueBound())
                .drainDeadline(d.drainDeadline())
                .statusRetention(d.statusRetention()).statusMaxEntries(d.statusMaxEntries())
                .deadLetterMax(d.deadLetterMax())
                .policy(TaskType.STORE, d.store()).policy(TaskType.RETRIEVE, d.retrieve())
                .policy(TaskType.BUILD, d.build()).policy(TaskType.FORGET, d.forget())
                .policy(TaskType.CONSOLIDATE, d.consolidate()).build();
        assertThat(s).isEqualTo(d);
        assertThat(s.maintenanceQueueBound()).isEqualTo(16);
        assertThat(s.agingInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.finishedRetention()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.finishedMaxEntries()).isEqualTo(10_000);
        assertThat(s.outboxBatchSize()).isEqualTo(512);
    }

    @Test
    void a_configured_field_never_set_fails_naming_it() {
        assertThatThrownBy(() -> TaskEngineSettings.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessage("worker_permits not set");
    }

    @Test
    void builder_changes_only_what_it_is_told() {
        TaskEngineSettings s = DefaultSettings.tasks().toBuilder().ingestQueueBound(8)
                .policy(TaskType.STORE, new TaskPolicy(Duration.ofSeconds(1), 2, Duration.ofMillis(10), Duration.ofMillis(10), 0))
                .build();
        assertThat(s.ingestQueueBound()).isEqualTo(8);
        assertThat(s.store().maxAttempts()).isEqualTo(2);
        assertThat(s.build()).isEqualTo(DefaultSettings.tasks().build());
    }

    @Test
    void invalid_values_fail_with_the_field_and_the_rule() {
        TaskEngineSettings d = DefaultSettings.tasks();
        assertThatThrownBy(() -> d.toBuilder().workerPermits(0).build())
                .hasMessage("worker_permits must be >= 1 (was 0)");
        assertThatThrownBy(() -> d.toBuilder().workerPermits(4).reservedInteractive(4).build())
                .hasMessageContaining("reserved_interactive must be < worker_permits");
        assertThatThrownBy(() -> d.toBuilder().interactiveConcurrency(2).reservedInteractive(3).build())
                .hasMessageContaining("reserved_interactive must be <= interactive_concurrency");
        assertThatThrownBy(() -> d.toBuilder().drainDeadline(Duration.ZERO).build())
                .hasMessage("drain_deadline must be > 0 (was PT0S)");
        assertThatThrownBy(() -> new TaskPolicy(Duration.ofSeconds(1), 3, Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("backoff_max must be >= backoff_base");
        assertThatThrownBy(() -> new TaskPolicy(Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("max_attempts must be >= 1");
        assertThatThrownBy(() -> new TaskPolicy(Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
                .hasMessageContaining("jitter must be within [0, 1]");
    }
}
