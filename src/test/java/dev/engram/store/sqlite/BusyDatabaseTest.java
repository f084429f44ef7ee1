package dev.engram.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.common.Failures;
import dev.engram.model.NewMessage;
import dev.engram.store.Storage;

/**
 * A database held busy by another writer makes a transaction fail; that failure must be retriable, or the
 * engine would dead-letter an acknowledged store and the message would never be remembered.
 */
class BusyDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void a_busy_database_is_a_retriable_failure() throws Exception {
        try (Storage storage = SqliteStorage.open(dir, 50)) {
            Path file = dir.resolve(SqliteStorage.FILE_NAME);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement st = other.createStatement()) {
                st.execute("BEGIN IMMEDIATE"); // holds the write lock
                Throwable failure = catchThrowable(() -> storage.inTransaction(
                        tx -> tx.messages().append(NewMessage.user("c", "u", "u", "hi", Instant.EPOCH))));
                st.execute("ROLLBACK");

                assertThat(failure).as("the write must fail while the lock is held").isNotNull();
                assertThat(Failures.isRetriable(failure)).as("%s", failure).isTrue();
            }
            // and once the other writer is gone the same write succeeds
            storage.inTransaction(tx -> tx.messages().append(NewMessage.user("c", "u", "u", "hi", Instant.EPOCH)));
            assertThat(storage.messages().count()).isEqualTo(1);
        }
    }
}
