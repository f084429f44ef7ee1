package dev.engram.llm.openai;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncBulkheadTest {

    @Test
    void grants_up_to_the_limit_then_queues_in_fifo_order() {
        AsyncBulkhead bulkhead = new AsyncBulkhead(2);
        CompletableFuture<AsyncBulkhead.Permit> a = bulkhead.acquire();
        CompletableFuture<AsyncBulkhead.Permit> b = bulkhead.acquire();
        CompletableFuture<AsyncBulkhead.Permit> c = bulkhead.acquire();
        CompletableFuture<AsyncBulkhead.Permit> d = bulkhead.acquire();

        assertThat(List.of(a, b)).allMatch(CompletableFuture::isDone);
        assertThat(List.of(c, d)).noneMatch(CompletableFuture::isDone);
        assertThat(bulkhead.inUse()).isEqualTo(2);

        a.join().release();
        assertThat(c).isDone();
        assertThat(d).isNotDone();
    }

    @Test
    void cancelled_waiters_are_skipped_and_double_release_is_ignored() {
        AsyncBulkhead bulkhead = new AsyncBulkhead(1);
        AsyncBulkhead.Permit held = bulkhead.acquire().join();
        CompletableFuture<AsyncBulkhead.Permit> gaveUp = bulkhead.acquire();
        CompletableFuture<AsyncBulkhead.Permit> next = bulkhead.acquire();
        gaveUp.cancel(false);

        held.release();
        held.release();

        assertThat(next).isDone();
        assertThat(bulkhead.inUse()).isEqualTo(1);
        next.join().release();
        assertThat(bulkhead.inUse()).isZero();
    }

    @Test
    void never_hands_out_more_than_the_limit() {
        AsyncBulkhead bulkhead = new AsyncBulkhead(3);
        List<CompletableFuture<AsyncBulkhead.Permit>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(bulkhead.acquire());
        }
        int released = 0;
        while (released < 50) {
            long granted = all.stream().filter(CompletableFuture::isDone).count() - released;
            assertThat(granted).isBetween(0L, 3L);
            all.get(released++).join().release();
        }
        assertThat(bulkhead.inUse()).isZero();
        assertThatThrownBy(() -> new AsyncBulkhead(0)).hasMessageContaining(">= 1");
    }
}
