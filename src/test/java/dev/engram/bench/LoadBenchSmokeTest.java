package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.app.BenchServers;

/** A few seconds of {@code engram bench} with fast fake latencies, so the command cannot rot. */
class LoadBenchSmokeTest {
    @Test
    void both_modes_run_and_the_report_has_the_documented_shape(@TempDir Path out) throws Exception {
        LoadBenchOptions o = new LoadBenchOptions(4, 2, Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofMillis(40), Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMillis(60), 0.3, 0.0, null, out); // null: the shipped dev set
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Map<String, Object> doc = LoadBench.run(o, BenchServers::start,
                new PrintStream(console, true, StandardCharsets.UTF_8));

        JsonNode json = new ObjectMapper().readTree(out.resolve("bench-result.json").toFile());
        for (String mode : new String[] {"async", "blocking"}) {
            JsonNode m = json.path("modes").path(mode);
            assertThat(m.path("reply_ms").has("p50")).isTrue();
            assertThat(m.path("reply_ms").has("p99")).isTrue();
            assertThat(m.path("memory_ms").has("p95")).isTrue();
            assertThat(m.path("throughput_rps").isNumber()).isTrue();
            assertThat(m.path("build_window").path("reply_ms").has("max")).isTrue();
            assertThat(m.path("outside_build").path("reply_ms").has("p99")).isTrue();
            assertThat(m.path("requests").asLong()).isPositive();
        }
        assertThat(json.path("modes").path("async").path("errors").asLong()).isZero();
        assertThat(json.path("ratios").has("reply_p50_async_over_blocking")).isTrue();
        assertThat(json.path("ratios").has("async_build_p99_over_outside_p99")).isTrue();
        assertThat(json.path("config").path("users").asInt()).isEqualTo(4);
        assertThat(Files.readString(out.resolve("bench-report.html"))).contains("<svg").contains("build window")
                .doesNotContain("<script src");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("async").contains("blocking");
        assertThat(doc).containsKeys("modes", "ratios", "config");
    }
}
