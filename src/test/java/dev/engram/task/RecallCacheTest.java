package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.RetriableException;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/**
 * Single-flight, the recall cache as the engine consults it (TTL, invalidation by the store handler, never a
 * result computed while the chat changed) and the skipped fallback, on manual workers and manual time.
 */
@Timeout(60)
class RecallCacheTest {
    @TempDir
    Path dir;
    EngineHarness h;
    final AtomicInteger executions = new AtomicInteger();
    final AtomicReference<RecallStatus> answerStatus = new AtomicReference<>(RecallStatus.OK);

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    private void start(TaskEngineSettings settings) {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onRetrieve((task, ctx) -> {
            executions.incrementAndGet();
            if (answerStatus.get() == null) throw new RetriableException("index unavailable");
            return new Recall(List.of(new Memory(task.chatId() + " likes tea", "lexical", 1.0, List.of(5L)),
                    new Memory("no provenance", "graph", 0.5, List.of())), answerStatus.get());
        }).onStore((task, ctx) -> h.cache.invalidate(task.chatId())).build();
        h = EngineHarness.manual(dir, b -> b.settings(settings).handlers(handlers)).started();
    }

    private CompletableFuture<Recall> recall(String chat, String query) {
        return h.engine.retrieve(chat, query, Set.of(), h.clock.instant().plusSeconds(2));
    }

    @Test
    void identical_concurrent_retrievals_share_one_execution() {
        start(DefaultSettings.tasks());
        List<CompletableFuture<Recall>> callers = new ArrayList<>();
        for (String q : List.of("What do I like?", "what do i like?", "  WHAT  do I like? ", "ｗｈａｔ do I like?")) {
            callers.add(recall("c1", q));
        }
        assertThat(h.workers.pending()).isEqualTo(1);

        h.workers.runAll();

        assertThat(executions).hasValue(1);
        assertThat(callers).allSatisfy(f -> assertThat(f.join().memories()).hasSize(2));
    }

    @Test
    void a_cached_result_answers_at_once_until_its_ttl_expires() {
        start(DefaultSettings.tasks()); // the cache's TTL: 300 s
        recall("c1", "tea?");
        h.workers.runAll();

        h.clock.advance(Duration.ofSeconds(299));
        assertThat(recall("c1", "tea?")).isDone();
        assertThat(h.engine.status().cache().hits()).isEqualTo(1);

        h.clock.advance(Duration.ofSeconds(2));
        CompletableFuture<Recall> expired = recall("c1", "tea?");
        assertThat(expired).isNotDone();
        h.workers.runAll();
        assertThat(executions).hasValue(2);
        assertThat(h.engine.status().cache().hitRate()).isBetween(0.3, 0.34);
    }

    @Test
    void a_store_for_a_chat_invalidates_that_chats_results_only() {
        start(DefaultSettings.tasks());
        recall("c1", "tea?");
        recall("c2", "tea?");
        h.workers.runAll();

        h.engine.submit(new MemoryTask.Store("c1", "I switched to coffee"));
        h.workers.runAll();

        assertThat(recall("c2", "tea?")).isDone();
        assertThat(recall("c1", "tea?")).isNotDone();
        h.workers.runAll();
        assertThat(executions).hasValue(3);
    }

    @Test
    void a_result_computed_while_the_chat_changed_is_not_cached() {
        start(DefaultSettings.tasks());
        CompletableFuture<Recall> stale = recall("c1", "tea?");          // queued, not run yet
        h.cache.invalidate("c1");                                         // memory changes meanwhile
        CompletableFuture<Recall> fresh = recall("c1", "tea?");          // must not join the stale flight
        assertThat(h.workers.pending()).isEqualTo(2);

        h.workers.runAll();
        assertThat(stale.join().status()).isEqualTo(RecallStatus.OK);
        assertThat(fresh.join().status()).isEqualTo(RecallStatus.OK);
        assertThat(recall("c1", "tea?")).as("the fresh result is cached").isDone();
        assertThat(executions).hasValue(2);
    }

    @Test
    void partial_failed_and_timed_out_results_are_never_cached() {
        start(DefaultSettings.tasks());
        answerStatus.set(RecallStatus.PARTIAL);
        recall("c1", "q");
        h.workers.runAll();
        answerStatus.set(null); // the handler throws
        CompletableFuture<Recall> failed = recall("c1", "q");
        h.workers.runAll();
        assertThat(failed.join()).isEqualTo(Recall.empty(RecallStatus.TIMEOUT));
        CompletableFuture<Recall> timedOut = recall("c1", "q");
        h.scheduler.advance(Duration.ofSeconds(2));
        assertThat(timedOut.join().status()).isEqualTo(RecallStatus.TIMEOUT);
        h.workers.runAll();

        answerStatus.set(RecallStatus.OK);
        assertThat(recall("c1", "q")).isNotDone();
        assertThat(h.engine.status().cache().entries()).isZero();
    }

    @Test
    void a_full_interactive_lane_answers_skipped_at_once() {
        start(DefaultSettings.tasks().toBuilder().interactiveConcurrency(1).reservedInteractive(1).interactiveQueueBound(1).build());
        CompletableFuture<Recall> running = recall("c1", "a");
        CompletableFuture<Recall> queued = recall("c1", "b");
        CompletableFuture<Recall> skipped = recall("c1", "c");

        assertThat(skipped).isCompletedWithValue(Recall.empty(RecallStatus.SKIPPED));
        assertThat(h.engine.status().totals().rejected()).isEqualTo(1);
        h.workers.runAll();
        assertThat(running.join().status()).isEqualTo(RecallStatus.OK);
        assertThat(queued.join().status()).isEqualTo(RecallStatus.OK);
    }

    @Test
    void each_caller_excludes_its_own_turns_messages_from_a_shared_result() {
        start(DefaultSettings.tasks());
        CompletableFuture<Recall> plain = recall("c1", "tea?");
        CompletableFuture<Recall> excluding = h.engine.retrieve("c1", "tea?", Set.of(5L), h.clock.instant().plusSeconds(2));
        h.workers.runAll();

        assertThat(plain.join().memories()).hasSize(2);
        assertThat(excluding.join().memories()).extracting(Memory::text).containsExactly("no provenance");
    }

    @Test
    void a_closed_engine_answers_skipped() {
        start(DefaultSettings.tasks());
        h.closeEngine();
        assertThat(recall("c1", "q")).isCompletedWithValue(Recall.empty(RecallStatus.SKIPPED));
    }
}
