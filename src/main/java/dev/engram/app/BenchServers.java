package dev.engram.app;

import dev.engram.bench.ServerLauncher;
import dev.engram.config.EngramConfig;

/**
 * Starts real Engram servers for the load benchmark, which sees only their ports. Callers pass
 * {@code BenchServers::start} as the {@link ServerLauncher} (a method reference, so building the command
 * line, as {@code serve} does, loads no bench class). Loaded only when a benchmark runs.
 */
public final class BenchServers {
    private BenchServers() {
    }

    /** Starts a server from {@code config}. */
    public static ServerLauncher.Running start(EngramConfig config) {
        Engram engram = Engram.start(config);
        return new ServerLauncher.Running() {
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
