package dev.engram.memory.instant;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.engram.common.Failures;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmRequest;

/** Blocking use of the asynchronous {@link LlmClient} for code that already runs on a task-engine worker. */
final class LlmCalls {
    private LlmCalls() {
    }

    /**
     * Sends {@code request} and waits for the answer text. A failure is rethrown unwrapped, so the
     * task engine sees the classified {@link dev.engram.llm.LlmException} (retriable or not); an
     * interrupt is rethrown as {@link InterruptedException} with the flag restored.
     */
    static String text(LlmClient llm, LlmRequest request) throws InterruptedException {
        CompletableFuture<dev.engram.llm.LlmResponse> future = llm.complete(request);
        try {
            return future.get().text();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(request.prompt().key() + " failed", cause);
        }
    }
}
