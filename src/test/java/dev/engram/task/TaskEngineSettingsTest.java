package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TaskEngineSettingsTest {
    @Test
    void defaults_are_valid_and_match_the_seed() {
        TaskEngineSettings d = TaskEngineSettings.defaults();
        assertThat(d.prefetch().maxAttempts()).as("a prefetch is never retried").isEqualTo(1);
        assertThat(d.retrieve().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.concurrency(Lane.MAINTENANCE)).isEqualTo(1);
        assertThat(d.policy(TaskType.BUILD)).isSameAs(d.build());
        assertThat(TaskEngineSettings.builder().build()).isEqualTo(d);
    }

    @Test
    void builder_changes_only_what_it_is_told() {
        TaskEngineSettings s = TaskEngineSettings.builder().ingestQueueBound(8)
                .policy(TaskType.STORE, new TaskPolicy(Duration.ofSeconds(1), 2, Duration.ofMillis(10), Duration.ofMillis(10), 0))
                .build();
        assertThat(s.ingestQueueBound()).isEqualTo(8);
        assertThat(s.store().maxAttempts()).isEqualTo(2);
        assertThat(s.build()).isEqualTo(TaskEngineSettings.defaults().build());
    }

    @Test
    void invalid_values_fail_with_the_field_and_the_rule() {
        assertThatThrownBy(() -> TaskEngineSettings.builder().workerPermits(0).build())
                .hasMessage("worker_permits must be >= 1 (was 0)");
        assertThatThrownBy(() -> TaskEngineSettings.builder().workerPermits(4).reservedInteractive(4).build())
                .hasMessageContaining("reserved_interactive must be < worker_permits");
        assertThatThrownBy(() -> TaskEngineSettings.builder().interactiveConcurrency(2).reservedInteractive(3).build())
                .hasMessageContaining("reserved_interactive must be <= interactive_concurrency");
        assertThatThrownBy(() -> TaskEngineSettings.builder().drainDeadline(Duration.ZERO).build())
                .hasMessage("drain_deadline must be > 0 (was PT0S)");
        assertThatThrownBy(() -> new TaskPolicy(Duration.ofSeconds(1), 3, Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("backoff_max must be >= backoff_base");
        assertThatThrownBy(() -> new TaskPolicy(Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("max_attempts must be >= 1");
        assertThatThrownBy(() -> new TaskPolicy(Duration.ofSeconds(1), 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
                .hasMessageContaining("jitter must be within [0, 1]");
    }
}
