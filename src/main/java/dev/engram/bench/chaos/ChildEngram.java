package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code engram serve} in a child JVM on a loopback port, its console in a log file of the run
 * directory and fatal-error reports ({@code hs_err_pid*.log}) written there too. Stopped by
 * {@link #kill()} (SIGKILL), {@link #terminate(Duration)} (SIGTERM) or {@link #close()} (SIGTERM, then
 * SIGKILL). Not thread-safe: one scenario drives it.
 */
public final class ChildEngram implements AutoCloseable {
    /** Text the JVM prints when it crashes. */
    static final String FATAL = "A fatal error";

    private final Process process;
    private final ChildProcesses registry;
    private final Path log;
    private final Path dir;
    private final URI base;
    private final long startedNanos = System.nanoTime();
    private String firstHealth;
    private long healthyMs = -1;
    private long readyMs = -1;

    private ChildEngram(Process process, ChildProcesses registry, Path log, Path dir, int port) {
        this.process = process;
        this.registry = registry;
        this.log = log;
        this.dir = dir;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Starts a server and waits until {@code /health} answers 200 (the port is open and intake durable; the
     * memory side may still be {@code starting}: see {@link #awaitReady}).
     *
     * @param dir    run directory: config, console log and fatal-error reports go here
     * @param config the config file's text; {@code %PORT%} is replaced by a free loopback port
     * @param name   name of this start (the console log is {@code name.log})
     */
    static ChildEngram start(JvmSpec jvm, ChildProcesses registry, ChaosHttp http, Path dir, String config, String name,
                             Duration startTimeout) throws IOException, InterruptedException {
        return start(jvm, registry, http, dir, config, name, startTimeout, java.util.Map.of());
    }

    /** {@link #start(JvmSpec, ChildProcesses, ChaosHttp, Path, String, String, Duration)} with extra environment variables. */
    public static ChildEngram start(JvmSpec jvm, ChildProcesses registry, ChaosHttp http, Path dir, String config, String name,
                                    Duration startTimeout, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = freePort();
        Path file = dir.resolve(name + ".toml");
        Files.writeString(file, config.replace("%PORT%", Integer.toString(port)));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(jvm.serveCommand(file, dir)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ENGRAM_LLM_API_KEY", "chaos-key");
        pb.environment().putAll(env);
        Process p = pb.start();
        registry.add(p);
        ChildEngram child = new ChildEngram(p, registry, log, dir, port);
        child.awaitHealthy(http, startTimeout);
        return child;
    }

    private void awaitHealthy(ChaosHttp http, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("engram serve exited with " + process.exitValue() + " before it was healthy:\n"
                        + tail(4_000));
            }
            try {
                ChaosHttp.Response health = http.get(base.resolve("/health"), Duration.ofSeconds(2));
                if (health.status() == 200) {
                    healthyMs = uptimeMs();
                    firstHealth = health.json().path("status").asText("?");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100); // polling a child process's port: there is nothing to wait on
        }
        close();
        throw new IOException("engram serve was not healthy within " + timeout + ":\n" + tail(4_000));
    }

    /**
     * Waits until {@code /health} says the memory side is up (any state but {@code starting}: the engine runs),
     * polling every 100 ms.
     *
     * @return milliseconds from the process start to that answer
     */
    long awaitReady(ChaosHttp http, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("engram serve exited with " + process.exitValue() + ":\n" + tail(4_000));
            try {
                ChaosHttp.Response health = http.get(base.resolve("/health"), Duration.ofSeconds(5));
                if (health.status() == 200 && !"starting".equals(health.json().path("status").asText())) {
                    readyMs = uptimeMs();
                    return readyMs;
                }
            } catch (IOException e) {
                // a busy machine answers late: ask again until the deadline
            }
            Thread.sleep(100); // polling a child process's state: there is nothing to wait on
        }
        throw new IOException("engram serve's memory side was not up within " + timeout + ":\n" + tail(4_000));
    }

    /** @return milliseconds from the process start to the memory side up ({@link #awaitReady}), or -1 */
    long readyMs() {
        return readyMs;
    }

    public URI base() {
        return base;
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** @return milliseconds since the process was started */
    long uptimeMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** @return milliseconds from the process start to the first 200 of {@code /health} (polled every 100 ms) */
    long healthyMs() {
        return healthyMs;
    }

    /** @return the {@code status} of that first 200 answer (usually {@code starting}: the port opens before the memory side is up) */
    String firstHealth() {
        return firstHealth;
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        registry.remove(process);
    }

    /**
     * SIGTERM, then waits up to {@code timeout} for the exit.
     *
     * @return the exit code, or -1 when the process did not exit in time (it is then killed)
     */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            kill();
            return -1;
        }
        registry.remove(process);
        return process.exitValue();
    }

    /** @return whether this JVM left a fatal-error report ({@code hs_err_pid<pid>.log}) or printed one */
    boolean crashed() throws IOException {
        return Files.exists(dir.resolve("hs_err_pid" + process.pid() + ".log")) || Files.readString(log).contains(FATAL);
    }

    /** @return the last {@code chars} characters of the console */
    public String tail(int chars) {
        try {
            String s = Files.readString(log);
            return s.length() <= chars ? s : s.substring(s.length() - chars);
        } catch (IOException e) {
            return "(no console: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive() && terminate(Duration.ofSeconds(30)) < 0) kill();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        registry.remove(process);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
