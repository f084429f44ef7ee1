package dev.engram.bench;

import dev.engram.config.EngramConfig;

/**
 * Starts a complete Engram server for one benchmark run. The composition root supplies it, so the bench
 * drives the real product without depending on how it is wired.
 */
@FunctionalInterface
public interface ServerLauncher {
    /** Starts a server from {@code config}; it listens on {@link Running#port()} until closed. */
    Running start(EngramConfig config) throws Exception;

    /** A started server. */
    interface Running extends AutoCloseable {
        /** The HTTP port it listens on. */
        int port();

        @Override
        void close();
    }
}
