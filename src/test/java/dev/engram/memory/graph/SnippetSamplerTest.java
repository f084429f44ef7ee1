package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.model.ChatMessage;

/** The snippet rules: window, chat choice, sample length, the memorized_times limit and its retries. */
class SnippetSamplerTest {
    private static final Instant T = GraphHarness.T0.minus(Duration.ofHours(3));

    @TempDir
    Path dir;
    GraphHarness h;
    SnippetSampler sampler;

    @BeforeEach
    void open() {
        // a fixed 300 s window makes the retries' windows exact
        GraphSettings settings = GraphHarness.defaults().window(Duration.ofSeconds(300), Duration.ofSeconds(300))
                .sampleLength(3).build();
        h = new GraphHarness(dir, settings, new OfflineLlmClient());
        sampler = new SnippetSampler(h.storage.messages(), settings);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Optional<Snippet> sample(Instant t, Map<Long, Integer> pending) {
        return sampler.sample(t, GraphHarness.T0, new Random(1), pending);
    }

    private void memorizeTwice(ChatMessage m) {
        h.storage.messages().incrementMemorized(List.of(m.id()));
        h.storage.messages().incrementMemorized(List.of(m.id()));
    }

    @Test
    void rejects_windows_holding_a_message_memorized_twice_and_retries_120_s_earlier() {
        ChatMessage early = h.say("c1", "小林", "我下周去杭州", T.minusSeconds(200));
        ChatMessage exhausted = h.say("c1", "小林", "西湖很美", T.plusSeconds(100));
        memorizeTwice(exhausted);

        // try 1 [T, T+300) and try 2 [T-120, T+180) hold the exhausted message; try 3 [T-240, T+60) does not
        Snippet s = sample(T, new HashMap<>()).orElseThrow();

        assertThat(s.ids()).containsExactly(early.id());
    }

    @Test
    void gives_up_after_three_tries() {
        h.say("c1", "小林", "我下周去杭州", T.minusSeconds(400)); // only a fourth try would reach it
        ChatMessage exhausted = h.say("c1", "小林", "西湖很美", T.plusSeconds(50));
        memorizeTwice(exhausted);

        assertThat(sample(T, new HashMap<>())).isEmpty();
    }

    @Test
    void the_earliest_message_in_the_window_chooses_the_chat() {
        h.say("c1", "小林", "c1 的第一句", T.plusSeconds(20));
        ChatMessage other = h.say("c2", "小王", "c2 的第一句", T.plusSeconds(10));
        ChatMessage otherLater = h.say("c2", "小王", "c2 的第二句", T.plusSeconds(30));

        Snippet s = sample(T, new HashMap<>()).orElseThrow();

        assertThat(s.chatId()).isEqualTo("c2");
        assertThat(s.ids()).containsExactly(other.id(), otherLater.id());
    }

    @Test
    void takes_at_most_sample_length_messages_earliest_first() {
        List<ChatMessage> msgs = h.history("c1", T.plusSeconds(1), T.plusSeconds(60), Duration.ofSeconds(10));

        Snippet s = sample(T, new HashMap<>()).orElseThrow();

        assertThat(s.ids()).containsExactly(msgs.get(0).id(), msgs.get(1).id(), msgs.get(2).id());
    }

    @Test
    void counts_the_snippets_this_build_already_took() {
        ChatMessage once = h.say("c1", "小林", "我对花生过敏", T.plusSeconds(10));
        h.storage.messages().incrementMemorized(List.of(once.id()));
        Map<Long, Integer> pending = new HashMap<>();

        assertThat(sample(T, pending)).isPresent();
        assertThat(pending).containsEntry(once.id(), 1);
        assertThat(sample(T, pending)).as("1 stored + 1 pending reaches the limit of 2").isEmpty();
    }

    @Test
    void history_is_cut_at_silences_and_sample_length_and_skips_exhausted_messages() {
        List<ChatMessage> a = h.history("c1", T, T.plusSeconds(50), Duration.ofSeconds(10));   // 5 messages
        List<ChatMessage> b = h.history("c1", T.plusSeconds(3_600), T.plusSeconds(3_620), Duration.ofSeconds(10)); // 2
        h.history("c2", T, T.plusSeconds(50), Duration.ofSeconds(10)); // another chat: never included
        memorizeTwice(a.get(3));

        List<Snippet> snippets = sampler.history("c1", GraphHarness.T0);

        assertThat(snippets).extracting(Snippet::ids).containsExactly(
                List.of(a.get(0).id(), a.get(1).id(), a.get(2).id()),
                List.of(a.get(4).id()),
                List.of(b.get(0).id(), b.get(1).id()));
    }
}
