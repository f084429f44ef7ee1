package dev.engram.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The hot-chat scenario in miniature against real child servers: one round of load with a lagging hot chat,
 * SIGKILL while it has a store backlog, restart on the same data. Every acknowledged item is in the database
 * once and searchable once the outbox drained, and the restart's first {@code /health} answer is measured.
 */
class HotChatTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void a_kill_with_a_lagging_hot_chat_loses_nothing_and_leaves_nothing_unsearchable() throws Exception {
        ChaosOptions options = new ChaosOptions(Set.of("hotchat"), 0, 0, 1_000, 0.3, 20, 0, 8, 9,
                Duration.ofMinutes(3), 11L, dir.resolve("work"), true, 1, 1_500);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ChaosReport report = Chaos.run(options, JvmSpec.current("dev.engram.app.Main"),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        String printed = console.toString(StandardCharsets.UTF_8);

        HotChat.Result h = report.hotChat();
        assertThat(h.rounds()).as(printed).hasSize(1);
        HotChat.Round round = h.rounds().getFirst();
        assertThat(round.acknowledged()).as(printed).isPositive();
        assertThat(round.hotBacklog()).as("the hot chat had a store backlog at the kill: %s", printed).isPositive();
        assertThat(round.healthMs()).as(printed).isPositive();
        assertThat(round.firstHealth()).as("a 200 state of /health: %s", printed).isIn("starting", "catching_up", "ok");
        assertThat(round.okMs()).as(printed).isGreaterThanOrEqualTo(round.healthMs());
        assertThat(round.drainMs()).as("drained: %s", printed).isNotNegative();
        assertThat(h.acknowledged()).isEqualTo(round.acknowledged());
        assertThat(h.lost()).as(printed).isZero();
        assertThat(h.duplicated()).as(printed).isZero();
        assertThat(h.unsearchable()).as(printed).isZero();

        Path out = dir.resolve("hot.json");
        Chaos.write(report, out);
        JsonNode doc = new ObjectMapper().readTree(Files.readString(out));
        for (String key : new String[] {"hot_chat_rounds", "hot_chat_acknowledged", "hot_chat_lost",
            "hot_chat_unsearchable", "hot_chat_health_ms_max", "hot_chat_ok_ms_max", "hot_chat_drain_ms_max",
            "hot_chat_backlog_min"}) {
            assertThat(doc.path(key).isNumber()).as("%s in %s", key, doc).isTrue();
        }
        assertThat(doc.path("hot_chat_health_ms_max").asLong()).isEqualTo(round.healthMs());
        assertThat(doc.path("hot_chat").path("rounds").get(0).path("first_health").asText()).isEqualTo(round.firstHealth());
        assertThat(doc.path("kill_rounds").isNull()).as("only the hot-chat scenario ran").isTrue();
        assertThat(printed).contains("| hot chat (16 + 3 + 1 clients), SIGKILL, restart | 1 rounds |", "| round |");
    }
}
