package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.testing.MutableClock;

/**
 * The Chinese group-chat update set ({@code src/test/resources/eval/update-zh-set.json}, see its README)
 * through the real HTTP API with the offline provider: every turn is posted by its speaker at its session
 * time, then every question is asked by its asker, and the reply's {@code memories} (what the reply model
 * would see) are scored. Current-value questions must be answered by the newest value (the first recalled
 * memory naming any value of the attribute names the current one) in ≥ 95 %; no question may be answered
 * by another speaker's value; past-value questions must reach the old value in ≥ 80 %. Slow (about 45 s):
 * runs only with {@code -Dengram.updateEval=true}; prints one line per question and the three figures.
 */
class UpdateDevSetTest {
    private static final DateTimeFormatter SESSION_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);

    @TempDir
    Path dir;

    private record Score(String kind, String question, String asker, boolean ok, boolean crossSpeaker, String first) {
    }

    @Test
    void current_values_win_speakers_never_cross_and_history_stays_reachable() throws Exception {
        assumeTrue(Boolean.getBoolean("engram.updateEval"), "set -Dengram.updateEval=true to run the update-set evaluation");
        JsonNode samples;
        try (InputStream in = UpdateDevSetTest.class.getResourceAsStream("/eval/update-zh-set.json")) {
            samples = TestServer.JSON.readTree(in);
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<Score> scores = new ArrayList<>();
        try (TestServer server = TestServer.start(dir, "", "", clock)) {
            for (JsonNode sample : samples) {
                String chat = sample.path("sample_id").asText();
                JsonNode conv = sample.path("conversation");
                Instant last = clock.instant();
                for (int n = 1; conv.has("session_" + n); n++) {
                    LocalDateTime at = LocalDateTime.parse(conv.path("session_" + n + "_date_time").asText(), SESSION_TIME);
                    clock.set(at.toInstant(ZoneOffset.ofHours(8)));
                    for (JsonNode turn : conv.path("session_" + n)) {
                        post(server, chat, turn.path("speaker").asText(), turn.path("text").asText());
                        clock.advance(Duration.ofMinutes(1));
                    }
                    last = clock.instant();
                }
                clock.set(last.plus(Duration.ofDays(1)));
                for (JsonNode qa : sample.path("qa")) {
                    JsonNode reply = post(server, chat, qa.path("asker").asText(), qa.path("question").asText());
                    List<String> memories = new ArrayList<>();
                    reply.path("memories").forEach(m -> memories.add(m.path("text").asText()));
                    scores.add(score(qa, memories));
                    clock.advance(Duration.ofMinutes(1));
                }
            }
        }
        scores.forEach(s -> System.out.printf("%-7s %-4s %s %s → %s%n", s.kind(), s.ok() ? "ok" : "MISS", s.asker(),
                s.question(), s.first()));
        Map<String, Double> rate = Map.of("current", rate(scores, "current"), "past", rate(scores, "past"));
        long cross = scores.stream().filter(Score::crossSpeaker).count();
        System.out.printf("update set: current-value %.3f (%d questions), past-value %.3f (%d), cross-speaker answers %d%n",
                rate.get("current"), count(scores, "current"), rate.get("past"), count(scores, "past"), cross);

        assertThat(rate.get("current")).as("current-value questions answered by the newest fact").isGreaterThanOrEqualTo(0.95);
        assertThat(cross).as("answers taken from another speaker's facts").isZero();
        assertThat(rate.get("past")).as("past-value questions reaching the history").isGreaterThanOrEqualTo(0.80);
    }

    private static JsonNode post(TestServer server, String chat, String speaker, String text) throws Exception {
        ObjectNode body = TestServer.JSON.createObjectNode().put("chat_id", chat).put("user_id", speaker)
                .put("user_name", speaker).put("message", text);
        TestServer.Response r = server.post("/api/message", body.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        server.awaitIngestIdle();
        return r.json();
    }

    /**
     * Current: the first memory naming any value of the attribute (the answer, a stale or another speaker's)
     * names the answer. Past: some memory names the answer. Cross-speaker: that first memory names another
     * speaker's value and not the answer.
     */
    private static Score score(JsonNode qa, List<String> memories) {
        String answer = qa.path("answer").asText();
        List<String> values = new ArrayList<>(List.of(answer));
        List<String> others = new ArrayList<>();
        qa.path("stale").forEach(v -> values.add(v.asText()));
        qa.path("others").forEach(v -> others.add(v.asText()));
        values.addAll(others);
        String first = memories.stream().filter(m -> values.stream().anyMatch(m::contains)).findFirst().orElse("");
        String kind = qa.path("kind").asText();
        boolean ok = kind.equals("past") ? memories.stream().anyMatch(m -> m.contains(answer)) : first.contains(answer);
        boolean cross = !first.contains(answer) && others.stream().anyMatch(first::contains);
        return new Score(kind, qa.path("question").asText(), qa.path("asker").asText(), ok, cross, first);
    }

    private static double rate(List<Score> scores, String kind) {
        return scores.stream().filter(s -> s.kind().equals(kind)).filter(Score::ok).count() / (double) count(scores, kind);
    }

    private static long count(List<Score> scores, String kind) {
        return scores.stream().filter(s -> s.kind().equals(kind)).count();
    }
}
