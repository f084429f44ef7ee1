package dev.engram.task;

import static dev.engram.task.EngineHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.model.Recall;
import dev.engram.store.sqlite.SqliteStorage;

/**
 * A finished task's outbox row is deleted even when the database is busy at that moment: the deletion is tried
 * again once the other writer lets go, instead of leaving the row (counted as live work, visibility lag growing)
 * until the next start. Real SQLite file, another connection holding the write lock.
 */
@Timeout(60)
class BusyOutboxTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) h.close();
    }

    @Test
    void a_deletion_that_met_a_busy_database_is_retried_and_the_outbox_empties() throws Exception {
        TaskHandlers<Recall> handlers = TaskHandlers.<Recall>builder().onStore((task, ctx) -> { }).build();
        h = EngineHarness.manual(dir, 50, b -> b.handlers(handlers)).started();
        TaskId id = h.engine.submit(new MemoryTask.Store("c", "小林对花生过敏"));
        assertThat(h.storage.outbox().count()).isEqualTo(1);

        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStorage.FILE_NAME));
             Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE"); // holds the write lock: the deletion after the task cannot start
            h.workers.runAll();
            assertThat(h.state(id)).isEqualTo(TaskState.SUCCEEDED);
            eventually().until(() -> h.engine.outboxRequeues() >= 2);
            assertThat(h.engine.isIdle()).as("a deletion still pending is not idle").isFalse();
            st.execute("ROLLBACK");
        }

        eventually().until(h.engine::isIdle);
        assertThat(h.storage.outbox().count()).as("the row went without a restart").isZero();
        assertThat(h.engine.status().totals().inOutbox()).isZero();
        assertThat(h.engine.find(id).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
    }
}
