package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.app.BenchServers;

/** A few calls of {@code engram bench proxy}, so the command cannot rot; the figures themselves are the README's. */
class ProxyBenchSmokeTest {
    @Test
    void measures_four_series_and_writes_the_documented_json(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ProxyBench.Options o = new ProxyBench.Options(6, 2, Duration.ofMillis(5), 3, Duration.ZERO, 2, Duration.ZERO,
                true, out);

        ProxyBench.run(o, BenchServers::start, new PrintStream(console, true, StandardCharsets.UTF_8));

        JsonNode json = new ObjectMapper().readTree(out.resolve("proxy-result.json").toFile());
        for (String series : new String[] {"plain_direct", "plain_proxied", "stream_first_direct", "stream_first_proxied"}) {
            assertThat(json.path("series").path(series).path("n").asInt()).as(series).isEqualTo(6);
            assertThat(json.path("series").path(series).path("p50_ms").asDouble()).as(series).isGreaterThanOrEqualTo(5.0);
            assertThat(json.path("series").path(series).has("p99_ms")).isTrue();
        }
        assertThat(json.path("overhead_p50_ms").has("plain")).isTrue();
        assertThat(json.path("overhead_p50_ms").has("stream_first_event")).isTrue();
        assertThat(json.path("passed").isBoolean()).isTrue();
        assertThat(json.path("options").path("memory").asBoolean()).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("through Engram").contains("added by the proxy");
    }
}
