package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class EmbeddingBatcherTest {
    private final HashingEmbedder hashing = new HashingEmbedder();

    @Test
    void a_lone_caller_embeds_its_texts_at_once_in_order() {
        EmbeddingBatcher batcher = new EmbeddingBatcher(hashing, 8);

        List<float[]> vectors = batcher.embedAll(List.of("苹果", "香蕉", "苹果"));

        assertThat(vectors).hasSize(3);
        assertThat(vectors.get(0)).containsExactly(hashing.embed("苹果"));
        assertThat(vectors.get(1)).containsExactly(hashing.embed("香蕉"));
        assertThat(vectors.get(2)).containsExactly(vectors.get(0));
        assertThat(batcher.embedAll(List.of())).isEmpty();
    }

    @Test
    void texts_queued_while_the_model_is_busy_share_the_next_call() throws Exception {
        GatedEmbedder gated = new GatedEmbedder(hashing);
        EmbeddingBatcher batcher = new EmbeddingBatcher(gated, 4);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<float[]>> first = pool.submit(() -> batcher.embedAll(List.of("first")));
            await().atMost(Duration.ofSeconds(5)).until(() -> gated.started.getCount() == 0);
            List<Future<List<float[]>>> waiting = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String text = "text " + i;
                waiting.add(pool.submit(() -> batcher.embedAll(List.of(text))));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> batcher.queued() == 6);

            gated.release.countDown();

            assertThat(first.get().getFirst()).containsExactly(hashing.embed("first"));
            for (int i = 0; i < 6; i++) assertThat(waiting.get(i).get().getFirst()).containsExactly(hashing.embed("text " + i));
        }
        assertThat(gated.batchSizes).containsExactly(1, 4, 2);
    }

    @Test
    void a_model_failure_reaches_every_caller_of_the_batch() {
        Embedder broken = new HashingEmbedder() {
            @Override
            public List<float[]> embedAll(List<String> texts) {
                throw new IllegalStateException("model crashed");
            }
        };
        EmbeddingBatcher batcher = new EmbeddingBatcher(broken, 4);

        assertThatThrownBy(() -> batcher.embedAll(List.of("a", "b"))).hasMessage("model crashed");
        assertThat(batcher.queued()).isZero();
    }

    @Test
    void many_concurrent_callers_each_get_their_own_vectors() throws Exception {
        EmbeddingBatcher batcher = new EmbeddingBatcher(hashing, 16);
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        List<String> texts = List.of("caller " + id + " text " + i, "extra " + id + "/" + i);
                        List<float[]> got = batcher.embedAll(texts);
                        for (int j = 0; j < texts.size(); j++) {
                            if (!Arrays.equals(got.get(j), hashing.embed(texts.get(j)))) return false;
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> r : results) assertThat(r.get()).isTrue();
        }
    }

    /** Blocks its first call until released, recording the size of every batch. */
    private static final class GatedEmbedder extends HashingEmbedder {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final Embedder delegate;

        GatedEmbedder(Embedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            batchSizes.add(texts.size());
            if (started.getCount() > 0) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return delegate.embedAll(texts);
        }
    }
}
