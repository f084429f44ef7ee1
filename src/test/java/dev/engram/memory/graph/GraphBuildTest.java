package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.RetriableException;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.openai.OpenAiLlmClient;
import dev.engram.llm.openai.OpenAiSettings;
import dev.engram.llm.PromptId;
import dev.engram.model.ChatMessage;

/** The build pipeline on a synthetic history, offline and against the fake HTTP LLM server. */
class GraphBuildTest {
    @TempDir
    Path dir;

    @Test
    void build_turns_sampled_history_into_concepts_items_and_links() throws Exception {
        try (GraphHarness h = new GraphHarness(dir)) {
            List<ChatMessage> history = h.history("c1", GraphHarness.T0.minus(Duration.ofHours(72)), GraphHarness.T0,
                    Duration.ofMinutes(5));
            Map<Long, ChatMessage> byId = history.stream().collect(Collectors.toMap(ChatMessage::id, Function.identity()));
            List<BuildProgress> progress = new CopyOnWriteArrayList<>();

            BuildReport report = h.graph.build(progress::add);

            assertThat(report.samplesPlanned()).isEqualTo(8);
            assertThat(report.samplesApplied()).isEqualTo(report.samplesFound()).isPositive();
            assertThat(report.samplesFailed()).isZero();
            GraphSnapshot g = h.graph.snapshot();
            g.verify();
            assertThat(g.nodeCount()).isPositive();
            assertThat(g.edgeCount()).as("clique and similarity links").isPositive();
            assertThat(g.nodes()).noneMatch(n -> n.concept().equalsIgnoreCase("none"));
            for (GraphNode n : g.nodes()) {
                for (GraphItem item : g.items(n.id())) {
                    assertThat(item.chatId()).isEqualTo("c1");
                    assertThat(item.messageIds()).isNotEmpty().allMatch(byId::containsKey)
                            .hasSizeLessThanOrEqualTo(Provenance.MAX_SOURCES);
                    assertThat(item.messageIds()).as("provenance of %s", n.concept())
                            .anyMatch(id -> byId.get(id).text().toLowerCase(Locale.ROOT).contains(Concepts.key(n.concept())));
                    assertThat(item.createdAt()).isEqualTo(byId.get(item.messageIds().getLast()).createdAt());
                }
            }
            long marked = history.stream().filter(m -> h.memorized(m.id()) > 0).count();
            assertThat(marked).isPositive().isLessThanOrEqualTo((long) report.samplesFound() * h.settings.sampleLength());
            assertThat(history).allMatch(m -> h.memorized(m.id()) <= 2);
            assertThat(progress.getFirst().step()).isEqualTo("sampling");
            assertThat(progress.getLast().step()).isEqualTo("done");
            assertThat(progress.getLast().samplesDone()).isEqualTo(report.samplesApplied());
            assertThat(progress.getLast().topics()).isEqualTo(report.topics());
            GraphStatus status = h.graph.status();
            assertThat(status.currentBuild()).isNull();
            assertThat(status.lastBuild().outcome()).isEqualTo("ok");
            assertThat(status.nodes()).isEqualTo(g.nodeCount());
            assertThat(status.items()).isEqualTo(g.itemCount());
        }
    }

    @Test
    void the_memorized_limit_stops_a_third_build_over_the_same_messages() throws Exception {
        GraphSettings settings = GraphHarness.defaults().distribution(List.of(1.0, 0.001, 1.0, 1.0, 0.001, 0.0))
                .sampleNum(1).build();
        try (GraphHarness h = new GraphHarness(dir, settings, new OfflineLlmClient())) {
            Instant start = GraphHarness.T0.minus(Duration.ofHours(1)).plusSeconds(10);
            List<ChatMessage> msgs = h.history("c1", start, start.plusSeconds(100), Duration.ofSeconds(10));

            BuildReport first = h.graph.build(BuildProgressListener.NONE);
            int items = h.graph.snapshot().itemCount();
            assertThat(first.samplesApplied()).isEqualTo(1);
            assertThat(msgs).allMatch(m -> h.memorized(m.id()) == 1);

            assertThat(h.graph.build(BuildProgressListener.NONE).samplesApplied()).isEqualTo(1);
            assertThat(msgs).allMatch(m -> h.memorized(m.id()) == 2);
            assertThat(h.graph.snapshot().itemCount()).as("the same summaries again: no duplicates").isEqualTo(items);

            BuildReport third = h.graph.build(BuildProgressListener.NONE);
            assertThat(third.samplesFound()).isZero();
            assertThat(msgs).allMatch(m -> h.memorized(m.id()) == 2);
        }
    }

    @Test
    void llm_calls_of_one_build_run_in_parallel() throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.fixed(Duration.ofMillis(300));
        try (FakeLlmServer server = FakeLlmServer.start(0, profile);
             OpenAiLlmClient llm = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"));
             GraphHarness h = new GraphHarness(dir, GraphHarness.defaults().build(), llm)) {
            h.history("c1", GraphHarness.T0.minus(Duration.ofHours(72)), GraphHarness.T0, Duration.ofMinutes(5));

            BuildReport report = h.graph.build(BuildProgressListener.NONE);

            assertThat(report.samplesApplied()).isEqualTo(report.samplesFound()).isGreaterThanOrEqualTo(4);
            assertThat(server.maxConcurrent()).as("topic calls of all snippets at once").isGreaterThanOrEqualTo(4);
            assertThat(h.graph.snapshot().itemCount()).isPositive();
            h.graph.snapshot().verify();
        }
    }

    @Test
    void a_build_whose_llm_is_down_fails_retriably_and_leaves_messages_unmarked() throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.instant().withFailureRate(1.0, 503);
        try (FakeLlmServer server = FakeLlmServer.start(0, profile);
             OpenAiLlmClient llm = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"));
             GraphHarness h = new GraphHarness(dir, GraphHarness.defaults().build(), llm)) {
            List<ChatMessage> history = h.history("c1", GraphHarness.T0.minus(Duration.ofHours(72)), GraphHarness.T0,
                    Duration.ofMinutes(5));

            assertThatThrownBy(() -> h.graph.build(BuildProgressListener.NONE)).isInstanceOf(RetriableException.class);

            assertThat(history).allMatch(m -> h.memorized(m.id()) == 0);
            assertThat(h.graph.snapshot().nodeCount()).isZero();
            assertThat(h.graph.status().lastBuild().outcome()).isEqualTo("failed");
            assertThat(h.graph.status().currentBuild()).isNull();
        }
    }

    @Test
    void an_interrupted_build_stops_at_once_and_leaves_a_consistent_graph() throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.instant().forPrompt(PromptId.TOPIC_SUMMARY,
                LatencySpec.fixed(Duration.ofSeconds(60)));
        try (FakeLlmServer server = FakeLlmServer.start(0, profile);
             OpenAiLlmClient llm = new OpenAiLlmClient(DefaultSettings.openAi(server.baseUrl(), "fake"));
             GraphHarness h = new GraphHarness(dir, GraphHarness.defaults().build(), llm)) {
            List<ChatMessage> history = h.history("c1", GraphHarness.T0.minus(Duration.ofHours(72)), GraphHarness.T0,
                    Duration.ofMinutes(5));
            CountDownLatch extracting = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread builder = Thread.ofVirtual().start(() -> {
                try {
                    h.graph.build(p -> { if (p.step().equals("extracting")) extracting.countDown(); });
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            assertThat(extracting.await(20, TimeUnit.SECONDS)).isTrue();

            builder.interrupt();

            assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(h.graph.status().lastBuild().outcome()).isEqualTo("interrupted");
            assertThat(h.graph.status().currentBuild()).isNull();
            assertThat(history).allMatch(m -> h.memorized(m.id()) == 0);
            h.graph.snapshot().verify();
        }
    }

    @Test
    void build_history_memorises_a_whole_imported_chat() throws Exception {
        try (GraphHarness h = new GraphHarness(dir)) {
            Instant start = Instant.parse("2023-05-08T13:00:00Z");
            List<ChatMessage> msgs = new ArrayList<>(h.history("imported", start, start.plus(Duration.ofMinutes(40)),
                    Duration.ofMinutes(1)));
            msgs.addAll(h.history("imported", start.plus(Duration.ofDays(7)), start.plus(Duration.ofDays(7)).plusSeconds(600),
                    Duration.ofMinutes(1)));

            BuildReport report = h.graph.buildHistory("imported", BuildProgressListener.NONE);

            assertThat(report.samplesFound()).isEqualTo(3); // 40 messages = 30 + 10, then a week later 10
            assertThat(report.samplesApplied()).isEqualTo(3);
            assertThat(msgs).allMatch(m -> h.memorized(m.id()) == 1);
            assertThat(h.graph.snapshot().items("imported")).isNotEmpty();
            assertThat(h.graph.snapshot().items("imported")).anyMatch(i -> i.text().startsWith("2023-05-08"));
        }
    }

}
