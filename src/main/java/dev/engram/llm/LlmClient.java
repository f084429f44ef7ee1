package dev.engram.llm;

import java.util.concurrent.CompletableFuture;

/**
 * The port through which Engram talks to a language model.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>{@link #complete} never throws and never blocks on the model: failures complete the returned
 *       future exceptionally with an {@link LlmException} (a {@link dev.engram.common.RetriableException}
 *       for timeouts, 429, 5xx, I/O failures and malformed answers, the last ones for a bounded number of
 *       attempts; a {@link dev.engram.common.NonRetriableException} otherwise).</li>
 *   <li>An implementation never retries: retrying is the task engine's decision.</li>
 *   <li>Implementations are thread-safe; one instance serves every caller.</li>
 * </ul>
 * Implementations: {@link OfflineLlmClient} (default, no network) and {@link OpenAiLlmClient}.
 */
public interface LlmClient extends AutoCloseable {

    /**
     * Sends one request.
     *
     * @param request the rendered prompt and its variables
     * @return a future completed with the answer, or exceptionally with an {@link LlmException}
     */
    CompletableFuture<LlmResponse> complete(LlmRequest request);

    /** @return {@code "offline"} or {@code "openai"} */
    String name();

    /** Releases connections and threads the client owns. Idempotent; never throws. */
    @Override
    default void close() {
    }
}
