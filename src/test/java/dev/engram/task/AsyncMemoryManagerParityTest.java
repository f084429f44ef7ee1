package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.engram.memory.AsyncMemoryManager;
import dev.engram.memory.InstantMemoryHandle;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/** One test per row of DESIGN.md's seed parity table. */
@Timeout(60)
class AsyncMemoryManagerParityTest {
    @TempDir
    Path dir;
    EngineHarness h;
    AsyncMemoryManager manager;
    final AtomicInteger recalls = new AtomicInteger();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onRetrieve((task, ctx) -> {
            recalls.incrementAndGet();
            return new Recall(List.of(new Memory(task.chatId() + " 对花生过敏", "instant", 1, List.of())), RecallStatus.OK);
        }).build();
        h = EngineHarness.manual(dir, b -> b.handlers(handlers)).started();
        manager = new AsyncMemoryManager(h.engine, Duration.ofSeconds(2), Duration.ofSeconds(300));
        logs.start();
        ((Logger) LoggerFactory.getLogger("dev.engram")).addAppender(logs);
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger("dev.engram")).detachAppender(logs);
        h.close();
    }

    private List<String> logLines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void store_memory_nonblocking_returns_a_task_id_for_a_durable_store() {
        TaskId id = manager.storeNonBlocking("c1", "我对花生过敏");

        assertThat(id.type()).contains(TaskType.STORE);
        assertThat(h.storage.outbox().contains(id.value())).isTrue();
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void retrieve_memory_nonblocking_answers_later_then_from_the_cache() {
        CompletableFuture<Recall> first = manager.retrieveNonBlocking("c1", "我对什么过敏？");
        assertThat(first).isNotDone();
        h.workers.runAll();
        assertThat(first.join().memories()).extracting(Memory::text).containsExactly("c1 对花生过敏");

        assertThat(manager.retrieveNonBlocking("c1", "我对什么过敏？")).isCompletedWithValue(first.join());
        assertThat(recalls).hasValue(1);
    }

    @Test
    void retrieve_memory_nonblocking_gives_up_at_the_default_timeout() {
        CompletableFuture<Recall> recall = manager.retrieveNonBlocking("c1", "q");
        h.scheduler.advance(Duration.ofSeconds(2));
        assertThat(recall).isCompletedWithValue(Recall.empty(RecallStatus.TIMEOUT));
    }

    @Test
    void build_memory_nonblocking_returns_a_task_id_and_logs_the_seed_line() {
        TaskId id = manager.buildNonBlocking();

        assertThat(id.type()).contains(TaskType.BUILD);
        assertThat(logLines()).contains("记忆构建任务已提交：" + id);
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void get_status_reports_lanes_totals_and_cache() {
        manager.storeNonBlocking("c1", "x");
        EngineStatus status = manager.status();

        assertThat(status.accepting()).isTrue();
        assertThat(status.totals().submitted()).isEqualTo(1);
        assertThat(status.totals().inOutbox()).isEqualTo(1);
        assertThat(status.ingest().running() + status.ingest().queued()).isEqualTo(1);
        assertThat(status.cache().entries()).isZero();
    }

    @Test
    void get_async_instant_memory_gives_a_handle_per_chat() {
        InstantMemoryHandle a = manager.instant("c1");
        InstantMemoryHandle b = manager.instant("c2");
        assertThat(a.status().chatId()).isEqualTo("c1");
        assertThat(b.status().chatId()).isEqualTo("c2");
    }

    @Test
    void store_memory_background_is_fire_and_forget() {
        TaskId id = manager.instant("c1").storeInBackground("记住：周五开会");
        assertThat(h.storage.outbox().contains(id.value())).isTrue();
        h.workers.runAll();
        assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void get_memory_with_fallback_answers_or_times_out_without_throwing() {
        InstantMemoryHandle handle = manager.instant("c1");
        CompletableFuture<Recall> answered = handle.recallWithFallback("过敏", Duration.ofSeconds(2));
        h.workers.runAll();
        assertThat(answered.join().status()).isEqualTo(RecallStatus.OK);

        CompletableFuture<Recall> late = handle.recallWithFallback("another question", Duration.ofMillis(500));
        h.scheduler.advance(Duration.ofMillis(500));
        assertThat(late).isCompletedWithValue(Recall.empty(RecallStatus.TIMEOUT));
        assertThat(logLines()).anySatisfy(line -> assertThat(line).startsWith("瞬时记忆检索超时"));

        h.closeEngine();
        assertThat(handle.recallWithFallback("q", Duration.ofSeconds(2)))
                .isCompletedWithValue(Recall.empty(RecallStatus.SKIPPED));
    }

    @Test
    void wrapper_get_status_reports_the_chat_cache_and_timeouts() {
        InstantMemoryHandle.Status status = manager.instant("c1").status();
        assertThat(status).isEqualTo(new InstantMemoryHandle.Status("c1", true, 0, Duration.ofSeconds(300),
                Duration.ofSeconds(2)));
    }
}
