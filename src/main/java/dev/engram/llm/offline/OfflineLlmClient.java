package dev.engram.llm.offline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmClientErrorException;
import dev.engram.llm.LlmExceptionMapper;
import dev.engram.llm.LlmRequest;
import dev.engram.llm.LlmResponse;

/**
 * The default {@link LlmClient}: no network, deterministic, every memory prompt's contract implemented
 * with local algorithms over {@link LlmRequest#variables()} (see {@link PromptId} for the contracts):
 * rule-based "worth remembering" judgement, rule-based fact extraction ({@code FactRewriter}: speaker-attributed,
 * dates resolved), extractive summaries, HanLP keyword extraction, time-expression parsing. {@link PromptId#REPLY} answers with a plainly labelled template ({@code [Engram 离线模式] 收到：…})
 * listing the recalled memory lines.
 *
 * <p>The same request always yields the same text. Thread-safe and stateless. Work runs on the executor
 * given to the constructor (the no-argument constructor computes on the calling thread, so the returned
 * future is already complete). Failures complete the future with an {@link LlmException}; it never retries.
 */
public final class OfflineLlmClient implements LlmClient {

    /** The model name reported in every {@link LlmResponse}. */
    public static final String MODEL = "offline";

    private final Executor executor;

    /** Computes answers on the calling thread. */
    public OfflineLlmClient() {
        this(Runnable::run);
    }

    /** @param executor where answers are computed (e.g. a small CPU pool) */
    public OfflineLlmClient(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<LlmResponse> complete(LlmRequest request) {
        if (request == null) {
            return CompletableFuture.failedFuture(
                    new LlmClientErrorException("llm.unknown", MODEL, 0, "request must not be null", null));
        }
        String operation = "llm." + request.prompt().key();
        CompletableFuture<LlmResponse> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(answer(request));
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(LlmExceptionMapper.fromThrowable(operation, MODEL, e));
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(LlmExceptionMapper.fromThrowable(operation, MODEL, rejected));
        }
        return result;
    }

    @Override
    public String name() {
        return "offline";
    }

    private static LlmResponse answer(LlmRequest request) {
        long start = System.nanoTime();
        String text = OfflineAnswers.answer(request.prompt(), request.variables());
        return new LlmResponse(text, MODEL, OfflineAnswers.estimateTokens(request.renderedPrompt()),
                OfflineAnswers.estimateTokens(text), Duration.ofNanos(System.nanoTime() - start));
    }
}
