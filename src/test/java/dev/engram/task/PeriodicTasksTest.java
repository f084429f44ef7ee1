package dev.engram.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.engram.model.Recall;

@Timeout(60)
class PeriodicTasksTest {
    @TempDir
    Path dir;
    EngineHarness h;
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger engineLog = (Logger) LoggerFactory.getLogger(TaskEngine.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        engineLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        engineLog.detachAppender(logs);
        if (h != null) h.close();
    }

    private void start(TaskHandler<MemoryTask.Build> build) {
        h = EngineHarness.manual(dir, b -> b
                .periodic(new PeriodicSchedule(Duration.ofSeconds(600), Duration.ofSeconds(1800), null))
                .handlers(TaskHandlers.<Recall>builder()
                        .onBuild(build)
                        .onForget((task, ctx) -> ran.add("forget"))
                        .onConsolidate((task, ctx) -> ran.add("consolidate")).build())).started();
    }

    private void start() {
        start((task, ctx) -> ran.add("build"));
    }

    @Test
    void build_and_forget_are_submitted_on_their_intervals_and_builds_are_logged_as_in_the_seed() {
        start();
        h.scheduler.advance(Duration.ofSeconds(599));
        h.workers.runAll();
        assertThat(ran).isEmpty();

        for (int minute10 = 1; minute10 <= 3; minute10++) {
            h.scheduler.advance(Duration.ofSeconds(minute10 == 1 ? 1 : 600));
            h.workers.runAll();
        }

        assertThat(ran).containsExactlyInAnyOrder("build", "build", "build", "forget"); // t = 600, 1200, 1800; 1800
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("记忆构建任务已提交：")).toList();
        assertThat(lines).hasSize(3).allSatisfy(m -> assertThat(m).matches("记忆构建任务已提交：build-[0-9a-f-]{36}"));
    }

    @Test
    void a_tick_is_skipped_while_the_previous_periodic_task_has_not_finished() {
        start((task, ctx) -> {
            ran.add("build");
            if (ran.size() == 1) {                 // this build is still running at the next tick
                h.scheduler.advance(Duration.ofSeconds(600));
                h.workers.runAll();
            }
        });
        h.scheduler.advance(Duration.ofSeconds(600));
        h.workers.runAll();

        assertThat(ran).containsExactly("build");
        h.scheduler.advance(Duration.ofSeconds(600));
        h.workers.runAll();
        assertThat(ran.stream().filter("build"::equals)).hasSize(2);
    }

    @Test
    void closing_stops_the_timers() {
        start();
        h.closeEngine();
        h.scheduler.advance(Duration.ofHours(2));
        h.workers.runAll();
        assertThat(ran).isEmpty();
        assertThat(h.scheduler.pending()).isZero();
    }
}
