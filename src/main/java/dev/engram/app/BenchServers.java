package dev.engram.app;

import dev.engram.bench.ServerLauncher;
import dev.engram.config.EngramConfig;

/**
 * Starts real Engram servers for the load benchmark, which sees only their ports. Loaded only when a
 * benchmark runs, never by {@code serve}. Stateless.
 */
public final class BenchServers implements ServerLauncher {
    @Override
    public Running start(EngramConfig config) {
        Engram engram = Engram.start(config);
        return new Running() {
            @Override
            public int port() {
                return engram.port();
            }

            @Override
            public void close() {
                engram.close();
            }
        };
    }
}
