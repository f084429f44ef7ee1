package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SIGTERM while messages are being embedded never crashes the JVM: {@code engram serve} runs in a child JVM
 * with the flags of {@code ./engram}, takes messages from several clients, and is stopped with
 * {@link Process#destroy()} (SIGTERM) while stores are still running. Each try must end with exit code 143
 * or 0, without a fatal-error report ({@code hs_err} file or "A fatal error" in its output).
 *
 * <p>The suite runs {@value #DEFAULT_TRIES} tries (5–25 s each, depending on the machine); the full check is
 * {@code ./mvnw -o test -Dtest=ShutdownUnderLoadTest -Dengram.shutdown.tries=20}.
 */
class ShutdownUnderLoadTest {
    private static final int DEFAULT_TRIES = 2;
    private static final List<String> ENGRAM_JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-modules", "jdk.incubator.vector", "-DOPT_OUT_TRACKING=true");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void sigterm_while_embedding_never_crashes_the_jvm() throws Exception {
        int tries = Integer.getInteger("engram.shutdown.tries", DEFAULT_TRIES);
        for (int i = 0; i < tries; i++) {
            Path run = Files.createDirectories(dir.resolve("try-" + i));
            long start = System.nanoTime();
            Result r = runOnce(run);
            System.out.printf("shutdown try %d: exit %d after %d stores, %d ms in all (%s)%n", i, r.exitCode(),
                    r.storesAccepted(), (System.nanoTime() - start) / 1_000_000, r.phases());
            assertThat(r.exitCode()).as("try %d exit code; output:%n%s", i, r.output()).isIn(143, 0);
            assertThat(r.output()).as("try %d", i).doesNotContain("A fatal error");
            try (var files = Files.list(run)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("try %d", i)
                        .noneMatch(n -> n.startsWith("hs_err"));
            }
            assertThat(r.storesAccepted()).as("try %d: load was running", i).isPositive();
        }
    }

    private record Result(int exitCode, String output, int storesAccepted, String phases) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Result runOnce(Path run) throws Exception {
        int port = freePort();
        Path config = run.resolve("config.toml");
        Files.writeString(config, """
                [server]
                port = %d
                [storage]
                data_dir = "%s"
                [tasks]
                drain_deadline_ms = 1
                """.formatted(port, run.resolve("data").toString().replace("\\", "/")));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ENGRAM_JVM_FLAGS);
        command.add("-Xmx512m");
        command.add("-XX:ErrorFile=" + run.resolve("hs_err_pid%p.log"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--config", config.toString()));
        File log = run.resolve("output.log").toFile();
        Process engram = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        String phases = "";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            URI base = URI.create("http://127.0.0.1:" + port);
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            long up = System.nanoTime();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.execute(() -> {
                    for (int n = 0; loading.get(); n++) {
                        String text = ("客户" + client + "第" + n + "条消息：我们周末去西湖边骑车，然后吃了一碗片儿川，"
                                + "顺便聊了聊下个月去上海参加人工智能大会的安排 ").repeat(12); // long: each embedding runs a while
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/message"))
                                    .timeout(Duration.ofSeconds(5))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"" + text
                                            + "\", \"chat_id\": \"load-" + client + "\"}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) accepted.incrementAndGet();
                        } catch (IOException e) {
                            return; // the server went away
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
            // stop while stores (embedding) are queued and running
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                JsonNode tasks = TestServer.JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/status"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body()).path("tasks");
                return accepted.get() >= 4 && tasks.path("ingest").path("running").asInt() > 0;
            });
            long loaded = System.nanoTime();
            engram.destroy(); // SIGTERM
            boolean exited = engram.waitFor(60, TimeUnit.SECONDS);
            phases = "start %d ms, load %d ms, stop %d ms".formatted((up - t0) / 1_000_000, (loaded - up) / 1_000_000,
                    (System.nanoTime() - loaded) / 1_000_000);
            loading.set(false);
            if (!exited) {
                engram.destroyForcibly();
                throw new AssertionError("engram did not stop within 60 s after SIGTERM:\n" + Files.readString(log.toPath()));
            }
        } finally {
            loading.set(false);
            clients.shutdownNow();
            clients.awaitTermination(10, TimeUnit.SECONDS);
            if (engram.isAlive()) engram.destroyForcibly();
        }
        return new Result(engram.exitValue(), Files.readString(log.toPath()), accepted.get(), phases);
    }
}
