package dev.engram.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.config.EngramConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code engram serve}: runs the server until the process is stopped (SIGINT/SIGTERM close it cleanly). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Engram HTTP server.")
final class ServeCommand implements java.util.concurrent.Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", defaultValue = "config.toml", description = "Config file; written with defaults when missing (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        boolean created = !Files.exists(config);
        EngramConfig cfg = EngramConfig.loadOrCreate(config);
        if (created) log.info("No config found: wrote the commented defaults to {}", config.toAbsolutePath());
        Engram engram = Engram.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engram.close();
            } finally {
                stopped.countDown();
            }
        }, "engram-shutdown"));
        stopped.await();
        return 0;
    }
}
