package dev.engram.memory.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;

/**
 * Runs the snippets of one build: starts the LLM work of up to {@code maxParallelSamples} snippets at
 * once, and writes each snippet to the graph as soon as its LLM work finishes — one transaction and one
 * published snapshot per snippet, on the calling (build) thread. The LLM callbacks only enqueue.
 *
 * <p>If the calling thread is interrupted (task deadline, shutdown), outstanding LLM work is cancelled
 * and {@link InterruptedException} propagates; every step written so far is complete in both the
 * database and the snapshot (D-H10). Not thread-safe: one run per instance at a time.
 */
final class SamplePipeline {
    private static final Logger log = LoggerFactory.getLogger(SamplePipeline.class);

    /** Totals of one run; {@code lastFailure} is null when nothing failed. */
    record Totals(int applied, int failed, int topics, int itemsAdded, int edgesChanged, Throwable lastFailure) {
    }

    private record Finished(Snippet snippet, Extraction extraction, Throwable failure) {
    }

    private final GraphStore store;
    private final TopicExtractor extractor;
    private final StepWriter writer;
    private final int maxParallel;

    SamplePipeline(GraphStore store, TopicExtractor extractor, StepWriter writer, int maxParallel) {
        this.store = store;
        this.extractor = extractor;
        this.writer = writer;
        this.maxParallel = maxParallel;
    }

    /**
     * @param progress told after every snippet: {@code true} = written (with its topic count), else failed
     */
    Totals run(List<Snippet> snippets, StepListener progress) throws InterruptedException {
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        Deque<Snippet> waiting = new ArrayDeque<>(snippets);
        List<CompletableFuture<Extraction>> running = new ArrayList<>();
        int inFlight = 0;
        int applied = 0;
        int failed = 0;
        int topics = 0;
        int items = 0;
        int edges = 0;
        Throwable lastFailure = null;
        try {
            while (inFlight > 0 || !waiting.isEmpty()) {
                while (inFlight < maxParallel && !waiting.isEmpty()) {
                    Snippet s = waiting.poll();
                    CompletableFuture<Extraction> f = extractor.extract(s);
                    running.add(f);
                    f.whenComplete((x, e) -> finished.add(new Finished(s, x, e)));
                    inFlight++;
                }
                Finished done = finished.take();
                inFlight--;
                if (done.failure() != null) {
                    failed++;
                    lastFailure = Failures.unwrap(done.failure());
                    log.warn("记忆构建：样本 ({} 条消息, chat {}) 的 LLM 调用失败: {}", done.snippet().messages().size(),
                            done.snippet().chatId(), lastFailure.toString());
                    progress.failed();
                    continue;
                }
                try {
                    StepWriter.StepResult r = store.write(m -> writer.apply(m, done.extraction()));
                    applied++;
                    topics += r.topics();
                    items += r.itemsAdded();
                    edges += r.edgesChanged();
                    progress.written(r.topics());
                } catch (RuntimeException e) {
                    failed++;
                    lastFailure = e;
                    log.warn("记忆构建：样本写入失败 (chat {})", done.snippet().chatId(), e);
                    progress.failed();
                }
            }
        } finally {
            for (CompletableFuture<Extraction> f : running) f.cancel(true);
        }
        return new Totals(applied, failed, topics, items, edges, lastFailure);
    }

    /** Progress callbacks of {@link #run}, on the calling thread. */
    interface StepListener {
        void written(int topics);

        void failed();
    }
}
