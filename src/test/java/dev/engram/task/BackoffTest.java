package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delays_double_from_the_base_and_stop_at_the_max() {
        TaskPolicy policy = new TaskPolicy(Duration.ofSeconds(5), 10, Duration.ofSeconds(1), Duration.ofSeconds(10), 0);
        Random unused = new Random(1);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(n -> Backoff.delay(policy, n, unused)))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void jitter_shortens_by_at_most_its_fraction_and_spreads_delays() {
        TaskPolicy policy = new TaskPolicy(Duration.ofSeconds(5), 10, Duration.ofSeconds(1), Duration.ofSeconds(10), 0.5);
        Random random = new Random(42);
        var seen = new java.util.HashSet<Duration>();
        for (int i = 0; i < 1_000; i++) {
            Duration d = Backoff.delay(policy, 3, random);
            assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            seen.add(d);
        }
        assertThat(seen).hasSizeGreaterThan(900);
    }

    @Test
    void huge_attempt_numbers_do_not_overflow() {
        TaskPolicy policy = new TaskPolicy(Duration.ofSeconds(5), 1000, Duration.ofSeconds(1), Duration.ofMinutes(10), 0);
        assertThat(Backoff.delay(policy, 500, new Random())).isEqualTo(Duration.ofMinutes(10));
    }
}
