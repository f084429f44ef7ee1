package dev.engram.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.config.EngramConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code engram serve}: runs the server until the process is stopped. The port opens as soon as intake is
 * durable; the memory side loads behind it ({@link Engram#launch}). SIGTERM and SIGINT are handled here, not
 * by the JVM's shutdown: Engram closes in order (surfaces ▸ drain ▸ embeddings ▸ model ▸ storage) on the main
 * thread while every library is still alive, and only then does the process exit and run the JVM's shutdown
 * hooks — ONNX Runtime's hook frees its native environment, which must never happen while a store is still
 * embedding. A shutdown hook remains for other ways the JVM ends (System.exit elsewhere, SIGHUP).
 */
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
        CountDownLatch stop = new CountDownLatch(1);
        // before the launch: a SIGTERM while the port opens or the memory side loads stops in order too
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received: stopping", signal.getName());
                stop.countDown();
            });
        }
        Engram engram = Engram.launch(cfg, java.time.Clock.systemDefaultZone(), java.util.function.UnaryOperator.identity());
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) engram.close();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(close, "engram-shutdown"));
        stop.await();
        close.run();
        return 0;
    }
}
