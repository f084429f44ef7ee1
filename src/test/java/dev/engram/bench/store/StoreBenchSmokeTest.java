package dev.engram.bench.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.app.BenchServers;

/**
 * {@code engram bench store} end to end on a real server, small: every acknowledged message ends up indexed, the
 * outbox drains, the rates are measured, and {@code store-result.json} holds the figures.
 */
class StoreBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void a_small_run_stores_every_message_and_writes_its_figures() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StoreBenchResult r = StoreBench.run(new StoreBenchOptions(60, 3, 4, Duration.ofMinutes(3), null, dir, true),
                BenchServers::start, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(r.drained()).isTrue();
        assertThat(r.messages()).isEqualTo(60);
        assertThat(r.indexedMessages()).as("every user turn searchable").isEqualTo(60);
        assertThat(r.memories()).isPositive();
        assertThat(r.acknowledgedRate()).isPositive();
        assertThat(r.pipelineRate()).isPositive().isLessThanOrEqualTo(r.acknowledgedRate() + 1e-9);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("sustained");
        JsonNode doc = new ObjectMapper().readTree(Files.readString(dir.resolve("store-result.json")));
        assertThat(doc.path("indexed_messages").asLong()).isEqualTo(60);
        assertThat(doc.path("sustained_messages_per_s").asDouble()).isPositive();
        assertThat(doc.path("drained").asBoolean()).isTrue();
        assertThat(doc.path("unbatched").path("indexed_messages").asLong()).as("the unbatched pass stores everything too")
                .isEqualTo(60);
        assertThat(doc.path("batching_gain").asDouble()).isPositive();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("batching raised the sustained capacity");
    }

    @Test
    void bad_options_name_the_option() {
        assertThatThrownBy(() -> new StoreBenchOptions(0, 1, 1, Duration.ofSeconds(1), null, null, false))
                .hasMessageContaining("--messages");
        assertThatThrownBy(() -> new StoreBenchOptions(1, 1, 1, Duration.ZERO, null, null, false))
                .hasMessageContaining("--timeout-seconds");
    }
}
