package dev.engram.memory.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;
import dev.engram.common.NonRetriableException;
import dev.engram.common.RetriableException;
import dev.engram.store.MessageRepository;

/**
 * Builds long-term memory from chat history (the original's {@code build_memory}, §2.3):
 * <ol>
 *   <li>draw {@code sampleNum} times from the bimodal distribution ({@link SampleScheduler});</li>
 *   <li>take a snippet for each ({@link SnippetSampler}: window, chat, memorised limit, retries);</li>
 *   <li>run every snippet's LLM work in parallel and write each one as it finishes
 *       ({@link SamplePipeline}, {@link TopicExtractor}, {@link StepWriter});</li>
 *   <li>log and record the run; report progress throughout.</li>
 * </ol>
 * A build in which every snippet failed throws (retriable when the last failure was), so the task engine
 * can retry it; a partly successful build returns its report.
 *
 * <p>Not thread-safe by itself: {@link GraphMemory} runs one maintenance operation at a time (and the
 * task engine's maintenance lane does too). Readers and stores are never blocked by a build.
 */
final class GraphBuilder {
    private static final Logger log = LoggerFactory.getLogger(GraphBuilder.class);

    private final SampleScheduler scheduler;
    private final SnippetSampler sampler;
    private final SamplePipeline pipeline;
    private final RunLog runs;
    private final Clock clock;
    private final RandomGenerator random;

    GraphBuilder(GraphStore store, MessageRepository messages, TopicExtractor extractor, GraphSettings settings,
                 RunLog runs, Clock clock, RandomGenerator random) {
        this.scheduler = new SampleScheduler(settings.distribution(), settings.sampleNum());
        this.sampler = new SnippetSampler(messages, settings);
        this.pipeline = new SamplePipeline(store, extractor, new StepWriter(settings), settings.maxParallelSamples());
        this.runs = runs;
        this.clock = clock;
        this.random = random;
    }

    BuildReport build(BuildProgressListener listener) throws InterruptedException {
        Instant start = clock.instant();
        BuildProgress progress = new BuildProgress("sampling", 0, 0, 0, 0, 0, start);
        runs.progress(progress, listener);
        List<Instant> times = scheduler.times(start, random);
        Map<Long, Integer> pending = new HashMap<>();
        List<Snippet> snippets = new ArrayList<>();
        for (Instant t : times) sampler.sample(t, start, random, pending).ifPresent(snippets::add);
        return run(start, times.size(), snippets, progress, listener);
    }

    BuildReport buildHistory(String chatId, BuildProgressListener listener) throws InterruptedException {
        Instant start = clock.instant();
        BuildProgress progress = new BuildProgress("sampling", 0, 0, 0, 0, 0, start);
        runs.progress(progress, listener);
        List<Snippet> snippets = sampler.history(chatId, start.plusMillis(1));
        return run(start, snippets.size(), snippets, progress, listener);
    }

    private BuildReport run(Instant start, int planned, List<Snippet> snippets, BuildProgress initial,
                            BuildProgressListener listener) throws InterruptedException {
        Tracker tracker = new Tracker(initial.withFound(planned, snippets.size()).withStep("extracting"), listener);
        SamplePipeline.Totals totals;
        try {
            totals = pipeline.run(snippets, tracker);
        } catch (InterruptedException | RuntimeException e) {
            long ms = Duration.between(start, clock.instant()).toMillis();
            String outcome = e instanceof InterruptedException ? "interrupted" : "failed";
            runs.record(RunLog.BUILD, start, ms, outcome, tracker.progress.samplesDone() + " samples written before " + e);
            runs.buildFinished();
            throw e;
        }
        long ms = Duration.between(start, clock.instant()).toMillis();
        BuildReport report = new BuildReport(start, ms, planned, snippets.size(), totals.applied(), totals.failed(),
                totals.topics(), totals.itemsAdded(), totals.edgesChanged());
        tracker.publish(tracker.progress.withStep("done"));
        runs.buildFinished();
        boolean failed = totals.applied() == 0 && totals.failed() > 0;
        runs.record(RunLog.BUILD, start, ms, failed ? "failed" : "ok", report.summary());
        log.info("记忆构建耗时: {} 秒 — {}", String.format("%.2f", ms / 1000.0), report.summary());
        if (failed) {
            String message = "graph build: all " + totals.failed() + " samples failed";
            if (Failures.isRetriable(totals.lastFailure())) throw new RetriableException(message, totals.lastFailure());
            throw new NonRetriableException(message, totals.lastFailure());
        }
        return report;
    }

    /** Keeps the progress of one build and publishes every change; used on the build thread only. */
    private final class Tracker implements SamplePipeline.StepListener {
        private final BuildProgressListener listener;
        private BuildProgress progress;

        Tracker(BuildProgress first, BuildProgressListener listener) {
            this.listener = listener;
            publish(first);
        }

        void publish(BuildProgress p) {
            progress = p;
            runs.progress(p, listener);
        }

        @Override
        public void written(int topics) {
            publish(progress.withDone(topics));
        }

        @Override
        public void failed() {
            publish(progress.withFailed());
        }
    }
}
