package dev.engram.bench.fakellm;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import dev.engram.llm.PromptId;

/**
 * How {@link FakeLlmServer} behaves: a default {@link Behavior} (latency distribution, failure rate, which
 * failure) plus overrides per kind of call. The kind is recognised from the request: first the prompt
 * (the server recognises Engram's rendered templates), then the model name (Engram sets one per
 * {@link ModelSlot}), else the default. Draws are deterministic for a given {@link #seed()} and request
 * order. Immutable; the {@code with…}/{@code for…} methods return modified copies.
 *
 * @param defaults behaviour of calls no override matches
 * @param byModel  overrides by model name
 * @param byPrompt overrides by recognised prompt
 * @param seed     seed of the latency and failure draws
 * @param maxHang  how long a {@link Failure.Hang} holds the connection at most (it ends early on close)
 * @param stream   how answers to {@code "stream": true} requests are cut into server-sent events
 */
public record FakeLlmProfile(Behavior defaults, Map<String, Behavior> byModel, Map<PromptId, Behavior> byPrompt,
                             long seed, Duration maxHang, Streaming stream) {

    public FakeLlmProfile {
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(maxHang, "maxHang");
        Objects.requireNonNull(stream, "stream");
        byModel = Map.copyOf(byModel);
        byPrompt = byPrompt.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(byPrompt));
        if (maxHang.isNegative()) {
            throw new IllegalArgumentException("maxHang must be >= 0, was " + maxHang);
        }
    }

    /**
     * One kind of call's behaviour.
     *
     * @param latency     how long the server waits before answering
     * @param failureRate probability, 0..1, that the call fails instead of answering
     * @param failure     how it fails
     */
    public record Behavior(LatencySpec latency, double failureRate, Failure failure) {
        public Behavior {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(failure, "failure");
            if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
                throw new IllegalArgumentException("failureRate must be within 0..1, was " + failureRate);
            }
        }

        /** @return a behaviour with this latency that never fails */
        public static Behavior of(LatencySpec latency) {
            return new Behavior(latency, 0.0, Failure.status(500));
        }
    }

    /**
     * The shape of a streamed answer: the latency passes before the first event, then the answer goes out in
     * {@code chunks} content events {@code interval} apart, then a {@code finish_reason} event and
     * {@code data: [DONE]}.
     *
     * @param chunks   content events per answer, &gt;= 1 (fewer when the answer has fewer characters)
     * @param interval pause between two content events, &gt;= 0
     */
    public record Streaming(int chunks, Duration interval) {
        public Streaming {
            Objects.requireNonNull(interval, "interval");
            if (chunks < 1) {
                throw new IllegalArgumentException("chunks must be >= 1, was " + chunks);
            }
            if (interval.isNegative()) {
                throw new IllegalArgumentException("interval must be >= 0, was " + interval);
            }
        }
    }

    /** How an injected failure looks to the client. */
    public sealed interface Failure permits Failure.Status, Failure.Hang, Failure.MalformedBody {

        /** @return an HTTP error status with an OpenAI error body (429 also sends {@code Retry-After: 1}) */
        static Failure status(int code) {
            return new Status(code);
        }

        /** @return no answer until the client gives up (or {@link FakeLlmProfile#maxHang()} passes) */
        static Failure hang() {
            return new Hang();
        }

        /** @return HTTP 200 with a body that is not JSON */
        static Failure malformedBody() {
            return new MalformedBody();
        }

        /** @param code the HTTP status, 400..599 */
        record Status(int code) implements Failure {
            public Status {
                if (code < 400 || code > 599) {
                    throw new IllegalArgumentException("failure status must be 400..599, was " + code);
                }
            }
        }

        /** Holds the request open without answering. */
        record Hang() implements Failure {
        }

        /** Answers 200 with an unparseable body. */
        record MalformedBody() implements Failure {
        }
    }

    /** @return answers at once, never fails */
    public static FakeLlmProfile instant() {
        return fixed(Duration.ZERO);
    }

    /** @return every call takes {@code latency}, never fails */
    public static FakeLlmProfile fixed(Duration latency) {
        return of(LatencySpec.fixed(latency));
    }

    /** @return every call's latency drawn from {@code latency}, never fails; seed 42, max hang 60 s */
    public static FakeLlmProfile of(LatencySpec latency) {
        return new FakeLlmProfile(Behavior.of(latency), Map.of(), Map.of(), 42L, Duration.ofSeconds(60),
                new Streaming(4, Duration.ZERO));
    }

    /** @return default calls fail with probability {@code rate} with HTTP {@code status} */
    public FakeLlmProfile withFailureRate(double rate, int status) {
        return withFailureRate(rate, Failure.status(status));
    }

    /** @return default calls fail with probability {@code rate} in the given way */
    public FakeLlmProfile withFailureRate(double rate, Failure failure) {
        return withDefaults(new Behavior(defaults.latency(), rate, failure));
    }

    /** @return a copy with other default behaviour */
    public FakeLlmProfile withDefaults(Behavior behavior) {
        return new FakeLlmProfile(behavior, byModel, byPrompt, seed, maxHang, stream);
    }

    /** @return calls to {@code model} take {@code latency}, failing like the defaults */
    public FakeLlmProfile forModel(String model, LatencySpec latency) {
        return forModel(model, new Behavior(latency, defaults.failureRate(), defaults.failure()));
    }

    /** @return calls to {@code model} behave as {@code behavior} */
    public FakeLlmProfile forModel(String model, Behavior behavior) {
        Map<String, Behavior> copy = new HashMap<>(byModel);
        copy.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(behavior, "behavior"));
        return new FakeLlmProfile(defaults, copy, byPrompt, seed, maxHang, stream);
    }

    /** @return calls of {@code prompt} take {@code latency}, failing like the defaults */
    public FakeLlmProfile forPrompt(PromptId prompt, LatencySpec latency) {
        return forPrompt(prompt, new Behavior(latency, defaults.failureRate(), defaults.failure()));
    }

    /** @return calls of {@code prompt} behave as {@code behavior} */
    public FakeLlmProfile forPrompt(PromptId prompt, Behavior behavior) {
        Map<PromptId, Behavior> copy = new EnumMap<>(PromptId.class);
        copy.putAll(byPrompt);
        copy.put(Objects.requireNonNull(prompt, "prompt"), Objects.requireNonNull(behavior, "behavior"));
        return new FakeLlmProfile(defaults, byModel, copy, seed, maxHang, stream);
    }

    /** @return a copy drawing from another seed */
    public FakeLlmProfile withSeed(long newSeed) {
        return new FakeLlmProfile(defaults, byModel, byPrompt, newSeed, maxHang, stream);
    }

    /** @return a copy whose hangs last at most {@code hang} */
    public FakeLlmProfile withMaxHang(Duration hang) {
        return new FakeLlmProfile(defaults, byModel, byPrompt, seed, hang, stream);
    }

    /** @return a copy that streams answers in {@code chunks} events {@code interval} apart */
    public FakeLlmProfile withStreaming(int chunks, Duration interval) {
        return new FakeLlmProfile(defaults, byModel, byPrompt, seed, maxHang, new Streaming(chunks, interval));
    }

    /**
     * @param model  the request's model
     * @param prompt the recognised prompt, or {@code null}
     * @return the prompt's override, else the model's, else the defaults
     */
    public Behavior behaviorFor(String model, PromptId prompt) {
        Behavior b = prompt == null ? null : byPrompt.get(prompt);
        if (b == null && model != null) {
            b = byModel.get(model);
        }
        return b == null ? defaults : b;
    }

    /** @return a fresh, seeded sequence of decisions for one server */
    FakeLlmSampler newSampler() {
        return new FakeLlmSampler(this);
    }
}
