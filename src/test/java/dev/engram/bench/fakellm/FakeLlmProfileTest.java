package dev.engram.bench.fakellm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.engram.llm.PromptId;

class FakeLlmProfileTest {

    private static final FakeLlmProfile NORMAL = FakeLlmProfile.of(
                    LatencySpec.normal(Duration.ofMillis(200), Duration.ofMillis(80)))
            .withFailureRate(0.2, 503);

    private static List<FakeLlmSampler.Decision> draw(FakeLlmProfile profile, int n) {
        FakeLlmSampler sampler = profile.newSampler();
        return IntStream.range(0, n).mapToObj(i -> sampler.next("m", null)).toList();
    }

    @Test
    void same_seed_gives_the_same_decisions() {
        assertThat(draw(NORMAL, 200)).isEqualTo(draw(NORMAL, 200));
        assertThat(draw(NORMAL.withSeed(7), 200)).isNotEqualTo(draw(NORMAL, 200));
    }

    @Test
    void failure_rate_is_roughly_honoured() {
        long failures = draw(NORMAL, 10_000).stream().filter(d -> d.failure() != null).count();

        assertThat(failures).isBetween(1_800L, 2_200L);
        assertThat(draw(NORMAL, 10).stream().filter(d -> d.failure() != null))
                .allSatisfy(d -> assertThat(d.failure()).isEqualTo(FakeLlmProfile.Failure.status(503)));
    }

    @Test
    void normal_latency_is_centred_and_never_negative() {
        FakeLlmProfile wide = FakeLlmProfile.of(LatencySpec.normal(Duration.ofMillis(10), Duration.ofMillis(50)));
        List<Duration> latencies = draw(wide, 5_000).stream().map(FakeLlmSampler.Decision::latency).toList();

        assertThat(latencies).allSatisfy(d -> assertThat(d.isNegative()).isFalse());
        assertThat(latencies).contains(Duration.ZERO);
        double meanMs = draw(NORMAL, 5_000).stream().mapToLong(d -> d.latency().toMillis()).average().orElseThrow();
        assertThat(meanMs).isBetween(190.0, 210.0);
    }

    @Test
    void uniform_latency_stays_within_bounds_and_fixed_is_fixed() {
        LatencySpec uniform = LatencySpec.uniform(Duration.ofMillis(50), Duration.ofMillis(60));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1_000; i++) {
            assertThat(uniform.sample(random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(60));
        }
        assertThat(LatencySpec.fixed(Duration.ofMillis(5)).sample(random)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void prompt_override_beats_model_override_beats_defaults() {
        FakeLlmProfile p = FakeLlmProfile.fixed(Duration.ofMillis(1))
                .forModel("small", LatencySpec.fixed(Duration.ofMillis(2)))
                .forPrompt(PromptId.TOPIC_FIND, LatencySpec.fixed(Duration.ofMillis(3)));

        assertThat(p.behaviorFor("other", null).latency()).isEqualTo(LatencySpec.fixed(Duration.ofMillis(1)));
        assertThat(p.behaviorFor("small", PromptId.REPLY).latency()).isEqualTo(LatencySpec.fixed(Duration.ofMillis(2)));
        assertThat(p.behaviorFor("small", PromptId.TOPIC_FIND).latency())
                .isEqualTo(LatencySpec.fixed(Duration.ofMillis(3)));
    }

    @Test
    void invalid_profiles_are_rejected() {
        assertThatThrownBy(() -> FakeLlmProfile.instant().withFailureRate(1.5, 500)).hasMessageContaining("0..1");
        assertThatThrownBy(() -> FakeLlmProfile.instant().withFailureRate(0.1, 200)).hasMessageContaining("400..599");
        assertThatThrownBy(() -> LatencySpec.uniform(Duration.ofMillis(5), Duration.ofMillis(1)))
                .hasMessageContaining("max must be >= min");
        assertThatThrownBy(() -> LatencySpec.fixed(Duration.ofMillis(-1))).hasMessageContaining(">= 0");
    }
}
