package dev.engram.app;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engram serve} in a child JVM that logs every class it loads: after start-up, a reply and a
 * memory search, no class of {@code dev.engram.bench} or {@code dev.engram.eval} was loaded. The child
 * runs on the production classpath only (no test classes).
 */
class ServeLoadsNoBenchClassesTest {
    private static final Pattern STARTED = Pattern.compile("Engram started: .*http://[^:]+:(\\d+)");

    @Test
    void serving_a_reply_and_a_search_loads_no_bench_or_eval_class(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                [server]
                port = 0
                [storage]
                data_dir = "%s"
                """.formatted(dir.resolve("data").toString().replace("\\", "/")));
        Path classLog = dir.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-DOPT_OUT_TRACKING=true", "-Xmx512m",
                "-Xlog:class+load=info:file=" + classLog,
                "-cp", productionClasspath(),
                Main.class.getName(), "serve", "--config", config.toString()));
        Process serve = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            int port = CompletableFuture.supplyAsync(() -> awaitStart(serve)).get(120, TimeUnit.SECONDS);

            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/message")).POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"我叫小林，我对花生过敏\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            // the port opens before the memory side is up; the memory routes answer 503 until then
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> !http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"starting\""));
            HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/memory/search?chat_id=default&q=" + URLEncoder.encode("花生", StandardCharsets.UTF_8)))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        } finally {
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) serve.destroyForcibly().waitFor();
        }

        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded).as("the class-load log").anyMatch(l -> l.contains(" dev.engram.app.Engram "));
        assertThat(loaded.stream().filter(l -> l.contains(" dev.engram.bench.") || l.contains(" dev.engram.eval."))
                .toList()).isEmpty();
    }

    /** Reads the child's console until the start line and returns the port it names. */
    private static int awaitStart(Process serve) {
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.append(line).append('\n');
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep the pipe drained
                    return Integer.parseInt(m.group(1));
                }
            }
            throw new IllegalStateException("serve exited before it started:\n" + seen);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classpath this test runs on, without test classes. */
    private static String productionClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
