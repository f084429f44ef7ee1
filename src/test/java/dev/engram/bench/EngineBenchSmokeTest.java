package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;

/** A few-second run of the engine benchmark: it completes and reports sane figures (not the targets). */
class EngineBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void both_mixes_run_and_report() {
        for (EngineBenchOptions.Mix mix : EngineBenchOptions.Mix.values()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            EngineBenchOptions opts = new EngineBenchOptions(mix, 2_000, 4, 16, 500, Duration.ofMillis(400), 500,
                    dir.resolve(mix.name()));
            EngineBenchResult result = EngineBench.run(opts, DefaultSettings.tasks(), new PrintStream(buffer, true, StandardCharsets.UTF_8));

            assertThat(result.tasks()).isEqualTo(2_000);
            assertThat(result.throughput()).isPositive();
            assertThat(result.latencySamples()).isEqualTo(200);
            assertThat(result.p50Millis()).isPositive().isLessThanOrEqualTo(result.p99Millis());
            assertThat(result.p99Millis()).isLessThanOrEqualTo(result.maxMillis());
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("tasks/s").contains("p99");
        }
    }
}
