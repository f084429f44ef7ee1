package dev.engram.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code engram chaos} in miniature, against real child servers: one SIGKILL and one SIGTERM round, a short
 * LLM-fault run, 2,000 fuzz requests and a small isolation run. The report has the keys, and the
 * figures that must be zero are.
 */
class ChaosSmokeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void a_small_chaos_run_reports_every_figure_and_finds_nothing_lost_leaked_or_broken() throws Exception {
        ChaosOptions options = new ChaosOptions(ChaosOptions.ALL, 1, 1, 1_000, 0.3, 20, 2_000, 8, 9,
                Duration.ofMinutes(5), 7L, dir.resolve("work"), true);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ChaosReport report = Chaos.run(options, JvmSpec.current("dev.engram.app.Main"),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        Path out = dir.resolve("chaos.json");
        Chaos.write(report, out);
        String printed = console.toString(StandardCharsets.UTF_8);

        JsonNode doc = new ObjectMapper().readTree(Files.readString(out));
        for (String key : new String[] {"kill_rounds", "acknowledged", "lost", "duplicated", "sigterm_rounds",
            "jvm_crashes", "fuzz_requests", "fuzz_5xx", "fuzz_hangs", "isolation_pairs", "leaks", "llm_failure_rate",
            "failed_memory_paths"}) {
            assertThat(doc.path(key).isNumber()).as("%s in %s", key, doc).isTrue();
        }
        Map<String, Object> d = report.document();
        assertThat(d).containsEntry("kill_rounds", 1).containsEntry("sigterm_rounds", 1)
                .containsEntry("fuzz_requests", 2_000L).containsEntry("llm_failure_rate", 0.3);
        assertThat((Integer) d.get("acknowledged")).as(printed).isPositive();
        assertThat(d).as(printed).containsEntry("lost", 0).containsEntry("duplicated", 0)
                .containsEntry("fuzz_5xx", 0L).containsEntry("leaks", 0L).containsEntry("jvm_crashes", 0);
        assertThat((Long) d.get("isolation_pairs")).isGreaterThanOrEqualTo(50);
        assertThat(report.llm().llmCalls()).isPositive();
        assertThat(report.llm().injectedTotal()).as("faults were injected").isPositive();
        assertThat(report.fuzz().statuses()).containsKeys(400, 404);
        assertThat(printed).contains("| SIGKILL under load |", "| SIGTERM under load |", "| LLM faults 30 % |",
                "| isolation |", "| fuzz |");
    }
}
