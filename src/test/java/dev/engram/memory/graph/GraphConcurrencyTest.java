package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.openai.OpenAiLlmClient;
import dev.engram.llm.openai.OpenAiSettings;
import dev.engram.llm.PromptId;
import dev.engram.text.TextAnalysis;
import dev.engram.memory.Candidate;
import dev.engram.model.StoredMemory;

/**
 * "记忆构建不再阻塞主程序": a build whose every LLM call takes 2 s runs while 1,000 recalls and 100 stores
 * hit the graph. To make "recall never waits for the writer" deterministic, the graph's writer lock (and
 * a database write transaction) is held by the test for the whole time the recalls run: every recall
 * still answers within its deadline, from a consistent snapshot. Every store is in the graph after the
 * build (and after a restart), although half of them arrive while build steps are being written.
 */
class GraphConcurrencyTest {
    private static final Duration LLM_LATENCY = Duration.ofSeconds(2);
    private static final long RECALL_DEADLINE_MS = 2_000; // the reply path's recall budget
    private static final int RECALLS = 1_000;
    private static final int STORES = 100;
    private static final List<String> QUERIES = List.of("杭州西湖", "花生过敏", "猫掉毛", "吉他", "上海浦东", "研究生");

    @TempDir
    Path dir;

    @Test
    void recalls_and_stores_never_wait_for_a_slow_build() throws Exception {
        FakeLlmProfile profile = FakeLlmProfile.instant()
                .forPrompt(PromptId.TOPIC_FIND, LatencySpec.fixed(LLM_LATENCY))
                .forPrompt(PromptId.TOPIC_SUMMARY, LatencySpec.fixed(LLM_LATENCY));
        try (FakeLlmServer server = FakeLlmServer.start(0, profile);
             OpenAiLlmClient llm = new OpenAiLlmClient(settings(server));
             GraphHarness h = new GraphHarness(dir, GraphHarness.defaults().build(), llm);
             ExecutorService readers = Executors.newFixedThreadPool(4);
             ExecutorService writers = Executors.newFixedThreadPool(4);
             ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            TextAnalysis.warmUp();
            h.history("c1", GraphHarness.T0.minus(Duration.ofHours(72)), GraphHarness.T0, Duration.ofMinutes(2));
            for (String line : GraphHarness.LINES) {
                h.graph.remember("c1", TextAnalysis.keywords(line, 3), line, List.of(), GraphHarness.T0);
            }
            CountDownLatch extracting = new CountDownLatch(1);
            CountDownLatch firstStep = new CountDownLatch(1);
            CompletableFuture<BuildReport> build = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.graph.build(p -> {
                        if (p.step().equals("extracting")) extracting.countDown();
                        if (p.samplesDone() > 0) firstStep.countDown();
                    });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, background);
            assertThat(extracting.await(30, TimeUnit.SECONDS)).isTrue();

            // the writer lock is taken (as a long build step would) and kept until the recalls are done
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> blocker = background.submit(() -> h.graph.store().write(m -> {
                holding.countDown();
                await(release);
                return null;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            // 100 stores: half now (they queue for the writer), half once build steps are being written
            List<Future<?>> stores = new ArrayList<>();
            for (int i = 0; i < STORES; i++) {
                int n = i;
                stores.add(writers.submit(() -> {
                    if (n >= STORES / 2) await(firstStep);
                    StoredMemory m = new StoredMemory(n, "c1", "第" + n + "条存储：小林提到了杭州和西湖",
                            List.of("杭州", "西湖", "存储" + n), List.of(10_000L + n), GraphHarness.T0);
                    h.graph.indexWriter().indexMemory(m);
                }));
            }
            // 1,000 recalls while the build waits for its LLM and the writer lock is held
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Candidate> seen = new ConcurrentLinkedQueue<>();
            List<Future<?>> recalls = new ArrayList<>();
            for (int i = 0; i < RECALLS; i++) {
                int n = i;
                recalls.add(readers.submit(() -> recall(h, n, problems, latencies, seen)));
            }
            for (Future<?> f : recalls) f.get(60, TimeUnit.SECONDS);
            assertThat(problems).isEmpty();
            assertThat(build).as("all recalls answered while the build was still running").isNotDone();
            assertThat(stores).as("stores wait for the writer, recalls did not").noneMatch(Future::isDone);

            release.countDown();
            blocker.get(30, TimeUnit.SECONDS);
            BuildReport report = build.get(60, TimeUnit.SECONDS);
            for (Future<?> f : stores) f.get(30, TimeUnit.SECONDS);

            assertThat(report.samplesApplied()).isPositive();
            assertThat(server.maxConcurrent()).isGreaterThan(1);
            GraphSnapshot g = h.graph.snapshot();
            g.verify();
            Set<String> texts = g.items("c1").stream().map(GraphItem::text).collect(Collectors.toSet());
            for (int i = 0; i < STORES; i++) assertThat(texts).contains("第" + i + "条存储：小林提到了杭州和西湖");
            Set<Long> itemIds = g.items("c1").stream().map(GraphItem::id).collect(Collectors.toSet());
            assertThat(seen).isNotEmpty().allMatch(c -> itemIds.contains(Long.parseLong(c.key().substring(2))));
            List<Long> sorted = latencies.stream().sorted().toList();
            System.out.printf("graph recall during a build: p50 %d ms, p99 %d ms, max %d ms; build %s%n",
                    sorted.get(RECALLS / 2), sorted.get(RECALLS * 99 / 100), sorted.getLast(), report.summary());

            h.restart();
            Set<String> reloaded = h.graph.snapshot().items("c1").stream().map(GraphItem::text).collect(Collectors.toSet());
            assertThat(reloaded).isEqualTo(texts);
        }
    }

    /** One recall: within the deadline, not empty, and every 50th checks the snapshot's invariants. */
    private static void recall(GraphHarness h, int n, ConcurrentLinkedQueue<String> problems,
                               ConcurrentLinkedQueue<Long> latencies, ConcurrentLinkedQueue<Candidate> seen) {
        long start = System.nanoTime();
        Instant deadline = h.clock.instant().plusMillis(RECALL_DEADLINE_MS);
        List<Candidate> found = h.graph.source().search("c1", QUERIES.get(n % QUERIES.size()), 10, deadline);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        latencies.add(ms);
        if (ms > RECALL_DEADLINE_MS) problems.add("recall " + n + " took " + ms + " ms");
        if (found.isEmpty()) problems.add("recall " + n + " (" + QUERIES.get(n % QUERIES.size()) + ") found nothing");
        seen.addAll(found);
        if (n % 50 == 0) {
            try {
                h.graph.snapshot().verify();
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
            }
        }
    }

    /** One model for every slot, 64 calls in flight: every call of the build can wait in parallel. */
    private static OpenAiSettings settings(FakeLlmServer server) {
        return new OpenAiSettings(server.baseUrl(), null, Map.of(ModelSlot.REPLY, "fake", ModelSlot.UTILS, "fake",
                ModelSlot.UTILS_SMALL, "fake"), Duration.ofSeconds(5), Duration.ofSeconds(60), 64);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("latch not released within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
