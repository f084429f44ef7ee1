package dev.engram.surface.openai;

import java.io.IOException;

import io.javalin.http.Context;

/**
 * Where the proxy gets a completion: the configured OpenAI-compatible endpoint ({@link HttpUpstream}) or
 * the offline provider ({@link OfflineUpstream}). An implementation writes the whole response to the
 * client itself, streamed events as they come, and is thread-safe.
 */
interface Upstream extends AutoCloseable {
    /**
     * Answers one request on {@code ctx}'s response.
     *
     * @param request     the client's request
     * @param memoryBlock the recalled memories as a prompt section, "" when there are none
     * @return what happened; {@link Answer#reply()} is the assistant's text when there is one to remember
     * @throws ProxyException when nothing was sent to the client yet and the call failed (it sends the error)
     * @throws IOException    when writing to the client failed (it went away)
     */
    Answer answer(ProxyRequest request, String memoryBlock, Context ctx) throws IOException;

    /** Releases connections; idempotent. */
    @Override
    default void close() {
    }

    /**
     * @param status  the HTTP status sent to the client
     * @param reply   the complete assistant text, or null when the upstream failed or the stream broke off
     * @param outcome the metrics outcome: {@code ok} or {@code upstream_error}
     */
    record Answer(int status, String reply, String outcome) {
        static Answer ok(int status, String reply) {
            return new Answer(status, reply, "ok");
        }

        static Answer failed(int status) {
            return new Answer(status, null, "upstream_error");
        }
    }
}
