package dev.engram.surface;

/**
 * One way a bot reaches Engram (the JSON API today; chat-platform adapters and the OpenAI-compatible
 * proxy next). The composition root builds the configured surfaces, starts them in order once memory
 * is running and closes them in reverse order before anything they call is closed. A surface only
 * translates between its protocol and the services it was given; it holds no business logic.
 * Started at most once and not reusable after {@link #close()}.
 */
public interface Surface extends AutoCloseable {
    /** Short stable name, e.g. {@code http}; used in logs and status. */
    String name();

    /** Starts accepting bots' traffic; returns once it does (or throws when it cannot, e.g. a port in use). */
    void start();

    /** Where bots reach it once started, e.g. {@code http://127.0.0.1:8080}. */
    String describe();

    /** Stops accepting traffic and releases what it holds; in-flight requests may be cut short. */
    @Override
    void close();
}
