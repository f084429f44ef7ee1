package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Prefetched query embeddings: one model call per text, shared by prefetch, search and the store path. */
class QueryEmbeddingCacheTest {
    /** Completes each embedding only when the test says so; counts the model calls. */
    private static final class GatedEmbedder implements Embedder {
        final ConcurrentLinkedQueue<CompletableFuture<float[]>> running = new ConcurrentLinkedQueue<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public float[] embed(String text) {
            return embedAsync(text).join();
        }

        @Override
        public CompletableFuture<float[]> embedAsync(String text) {
            calls.incrementAndGet();
            CompletableFuture<float[]> f = new CompletableFuture<>();
            running.add(f);
            return f;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int dimensions() {
            return 2;
        }

        @Override
        public String modelId() {
            return "gated";
        }
    }

    @Test
    void a_prefetch_returns_at_once_and_the_search_waits_for_that_same_call() throws Exception {
        GatedEmbedder model = new GatedEmbedder();
        QueryEmbeddingCache cache = new QueryEmbeddingCache(model, 100);

        cache.prefetch("我喜欢猫");
        cache.prefetch("我喜欢猫");
        CompletableFuture<float[]> search = CompletableFuture.supplyAsync(() -> cache.embed("我喜欢猫"));
        assertThat(model.calls.get()).isEqualTo(1);
        assertThat(search).isNotDone();

        model.running.peek().complete(new float[] {1, 0});

        assertThat(search.get(5, TimeUnit.SECONDS)).containsExactly(1, 0);
        assertThat(cache.ifPresent("我喜欢猫")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 0));
        assertThat(cache.ifPresent("别的话")).isEmpty();
        assertThat(model.calls.get()).isEqualTo(1);
    }

    @Test
    void a_failed_embedding_fails_its_waiters_and_is_not_kept() {
        GatedEmbedder model = new GatedEmbedder();
        QueryEmbeddingCache cache = new QueryEmbeddingCache(model, 100);
        cache.prefetch("你好");
        model.running.poll().completeExceptionally(new IllegalStateException("model broke"));

        assertThat(cache.ifPresent("你好")).isEmpty();
        CompletableFuture<float[]> retried = CompletableFuture.supplyAsync(() -> cache.embed("你好"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> model.calls.get() == 2); // dropped: the search asks again
        model.running.poll().completeExceptionally(new IllegalStateException("still broken"));
        assertThatThrownBy(retried::join).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("still broken");
    }

    @Test
    void without_a_cache_nothing_is_prefetched_and_every_search_asks_the_model() {
        GatedEmbedder model = new GatedEmbedder();
        QueryEmbeddingCache cache = new QueryEmbeddingCache(model, 0);
        cache.prefetch("你好");
        assertThat(model.calls.get()).isZero();
        assertThat(cache.ifPresent("你好")).isEmpty();
    }
}
