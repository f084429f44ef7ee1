package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.common.RetriableException;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;
import dev.engram.memory.RecallPolicy;

/** Many threads submit while tasks complete and retry; every task reaches one final state exactly once. */
@Timeout(60)
class StressTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 1_500;

    @TempDir
    Path dir;

    @Test
    void every_task_submitted_from_many_threads_finishes_exactly_once() throws Exception {
        ConcurrentHashMap<TaskId, AtomicInteger> finals = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, AtomicInteger> storeRuns = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> orderViolations = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<String, Integer> lastSeen = new ConcurrentHashMap<>();
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder()
                .onStore((task, ctx) -> {
                    // content is "<thread>/<n>", chat is per thread: n must increase within the chat
                    int n = Integer.parseInt(task.content().substring(task.content().indexOf('/') + 1));
                    Integer before = lastSeen.put(task.chatId(), n);
                    if (before != null && before >= n) orderViolations.add(task.chatId() + ":" + before + ">=" + n);
                    if (storeRuns.computeIfAbsent(task.content(), k -> new AtomicInteger()).incrementAndGet() == 1
                            && n % 10 == 0) {
                        lastSeen.put(task.chatId(), n - 1); // the retry must be allowed to see n again
                        throw new RetriableException("first attempt of every tenth store fails");
                    }
                })
                .onRetrieve((task, ctx) -> Recall.empty(RecallStatus.OK))
                .build();
        TaskEngineSettings settings = DefaultSettings.tasks().toBuilder().ingestQueueBound(256).finishedMaxEntries(100_000)
                .policy(TaskType.STORE, new TaskPolicy(Duration.ofSeconds(30), 3, Duration.ofMillis(1), Duration.ofMillis(5), 0.5))
                .build();
        try (Storage storage = SqliteStorage.open(dir, 5_000);
             TaskEngine<Recall> engine = TaskEngine.builder(storage, RecallPolicy.INSTANCE).settings(settings).handlers(handlers)
                     .clock(Clock.systemUTC())
                     .listener(view -> finals.computeIfAbsent(view.id(), k -> new AtomicInteger()).incrementAndGet())
                     .build()) {
            engine.start();
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<TaskId> submitted = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<CompletableFuture<Recall>> recalls = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 1; i <= PER_THREAD; i++) {
                        submitted.add(engine.submit(new MemoryTask.Store("chat-" + thread, thread + "/" + i)));
                        if (i % 5 == 0) submitted.add(engine.submit(new MemoryTask.Forget()));
                        if (i % 3 == 0) {
                            recalls.add(engine.retrieve("chat-" + thread, "q" + i % 7, Set.of(),
                                    Instant.now().plusSeconds(30)));
                        }
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) t.join();

            eventually().atMost(Duration.ofSeconds(40)).until(() -> submitted.stream().allMatch(finals::containsKey));
            CompletableFuture.allOf(recalls.toArray(CompletableFuture[]::new)).join();

            assertThat(orderViolations).isEmpty();
            assertThat(submitted).allSatisfy(id -> {
                assertThat(finals.get(id)).as(id.value()).hasValue(1);
                TaskState state = engine.find(id).orElseThrow().state();
                assertThat(state == TaskState.SUCCEEDED || (id.type().orElseThrow() == TaskType.FORGET
                        && state == TaskState.CANCELLED)).as(id + " " + state).isTrue();
            });
            assertThat(storeRuns).hasSize(THREADS * PER_THREAD);
            assertThat(recalls).allSatisfy(f -> assertThat(f.join().status()).isIn(RecallStatus.OK, RecallStatus.SKIPPED));
            eventually().until(() -> engine.status().totals().inOutbox() == 0);
            EngineStatus status = engine.status();
            assertThat(status.totals().retried()).isEqualTo(THREADS * PER_THREAD / 10);
            assertThat(status.ingest().running() + status.ingest().queued()).isZero();
        }
    }
}
