package dev.engram.bench.fakellm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import dev.engram.llm.PromptId;

/**
 * The seeded sequence of latency/failure decisions of one {@link FakeLlmServer}. Each call to
 * {@link #next} draws one latency and one failure coin from a single generator, so the n-th decision is
 * the same for the same seed and the same kinds of calls. Thread-safe ({@code next} is synchronised; the
 * draw is a few arithmetic operations).
 */
final class FakeLlmSampler {

    /**
     * @param latency how long to wait before answering
     * @param failure the failure to inject, or {@code null} to answer normally
     */
    record Decision(Duration latency, FakeLlmProfile.Failure failure) {
        Decision {
            Objects.requireNonNull(latency, "latency");
        }

        Optional<FakeLlmProfile.Failure> injected() {
            return Optional.ofNullable(failure);
        }
    }

    private final FakeLlmProfile profile;
    private final SplittableRandom random;

    FakeLlmSampler(FakeLlmProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.random = new SplittableRandom(profile.seed());
    }

    /** @return the decision for the next call of this kind */
    synchronized Decision next(String model, PromptId prompt) {
        FakeLlmProfile.Behavior behavior = profile.behaviorFor(model, prompt);
        Duration latency = behavior.latency().sample(random);
        boolean fail = random.nextDouble() < behavior.failureRate();
        return new Decision(latency, fail ? behavior.failure() : null);
    }
}
