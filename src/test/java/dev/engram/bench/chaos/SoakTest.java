package dev.engram.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code engram chaos --soak} in miniature: 30 s of load on a real child server whose LLM fails 30 % of the
 * calls, a sample every 2 s, with bounds small enough (3 dead letters, 20 finished statuses per type) that
 * dead letters are purged and statuses pruned within the run. Samples are taken, the JSON has the keys,
 * and the bounds hold.
 */
class SoakTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void a_short_soak_samples_the_server_and_dead_letters_and_task_records_stay_bounded() throws Exception {
        SoakOptions options = new SoakOptions(Duration.ofSeconds(30), Duration.ofSeconds(2), 0.3, 12, 6, 4, 0, 3, 20, 11L,
                dir.resolve("work"), true);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SoakReport report = Soak.run(options, JvmSpec.current("dev.engram.app.Main"),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        Path out = dir.resolve("soak.json");
        Soak.write(report, out);
        String printed = console.toString(StandardCharsets.UTF_8);

        JsonNode doc = new ObjectMapper().readTree(Files.readString(out));
        for (String key : new String[] {"soak_minutes", "heap_after_gc_first_third_mb", "heap_after_gc_last_third_mb",
            "threads_first_third", "threads_last_third", "fd_first_third", "fd_last_third", "rss_first_third_mb",
            "rss_last_third_mb", "dead_letters_max", "dead_letter_bound", "task_records_max", "task_record_bound"}) {
            assertThat(doc.path(key).isNumber()).as("%s in %s", key, doc).isTrue();
        }
        assertThat(doc.path("passed").isBoolean()).isTrue();
        assertThat(doc.path("soak_minutes").asDouble()).isEqualTo(0.5);
        assertThat(doc.path("samples").size()).as(printed).isGreaterThanOrEqualTo(12);
        JsonNode first = doc.path("samples").get(0);
        assertThat(first.path("heap_after_gc_mb").asDouble()).as(printed).isPositive();
        assertThat(first.path("threads").asInt()).isPositive();
        assertThat(first.path("open_fds").asLong()).isPositive();
        assertThat(first.path("rss_mb").asDouble()).isPositive();

        assertThat(report.serverUp()).as(printed).isTrue();
        assertThat(report.acknowledged()).as(printed).isPositive();
        assertThat(report.llmInjected().values().stream().mapToLong(Long::longValue).sum()).as("faults injected").isPositive();
        assertThat(report.samples().getLast().sent()).as("finished statuses outnumber their bound: pruning ran")
                .isGreaterThan(report.taskRecordBound());
        assertThat(report.deadLettered()).as("more tasks were dead-lettered than the bound keeps: purging ran")
                .isGreaterThan(3);
        assertThat(doc.path("dead_letters_max").asLong()).as(printed).isLessThanOrEqualTo(3);
        assertThat(doc.path("task_records_max").asLong()).as(printed).isPositive()
                .isLessThanOrEqualTo(doc.path("task_record_bound").asLong());
        assertThat(printed).contains("| heap after GC MB |", "| threads |", "| dead letters |", "soak: ");
    }

    @Test
    void options_refuse_a_soak_too_short_to_compare_thirds_and_bad_rates() {
        assertThatThrownBy(() -> SoakOptions.of(Duration.ofSeconds(30), Duration.ofSeconds(10), 0.3, 4, 0, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4 sample intervals");
        assertThatThrownBy(() -> SoakOptions.of(Duration.ofMinutes(1), Duration.ofSeconds(10), 1.5, 4, 0, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failure rate");
        assertThat(SoakOptions.of(Duration.ofMinutes(30), Duration.ofSeconds(10), 0.3, 4, 0, 1, null).deadLetterMax())
                .isEqualTo(25);
    }
}
