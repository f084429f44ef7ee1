package dev.engram.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.model.NewMessage;
import dev.engram.store.Storage;
import dev.engram.store.StorageContract;

/** The storage contract on a real SQLite file, plus what only SQLite promises (file, WAL, migration history). */
class SqliteStorageTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Storage open() {
        return SqliteStorage.open(dir.resolve("data"), 5_000);
    }

    @Test
    void the_database_is_one_file_in_wal_mode_inside_the_data_directory() throws SQLException {
        Path file = dir.resolve("data").resolve(SqliteStorage.FILE_NAME);

        assertThat(file).isRegularFile();
        assertThat(storage.describe()).isEqualTo("sqlite:" + file.toAbsolutePath());
        assertThat(query(file, "PRAGMA journal_mode")).containsExactly(tuple("wal"));
    }

    /**
     * Flyway validates an existing database by version, description, type and checksum of each script
     * named relative to its location. These are the rows of a database created before the scripts moved
     * to {@code db/migration/sqlite}; as long as they match, such a database opens and migrates.
     */
    @Test
    void the_migration_history_matches_databases_created_before_dialect_folders() throws SQLException {
        Path file = dir.resolve("data").resolve(SqliteStorage.FILE_NAME);

        assertThat(query(file, "SELECT version, description, type, script, checksum, success"
                + " FROM flyway_schema_history ORDER BY installed_rank")).containsExactly(
                tuple("1", "messages", "SQL", "V1__messages.sql", 1631566529, 1),
                tuple("3", "memories", "SQL", "V3__memories.sql", 823395858, 1),
                tuple("4", "embeddings", "SQL", "V4__embeddings.sql", 2044115394, 1),
                tuple("5", "graph", "SQL", "V5__graph.sql", 1454642882, 1),
                tuple("6", "memory validity", "SQL", "V6__memory_validity.sql", 2110670739, 1),
                tuple("7", "message external ids", "SQL", "V7__message_external_ids.sql", -274327756, 1),
                tuple("8", "task status", "SQL", "V8__task_status.sql", -981845169, 1),
                tuple("9", "pins and kept messages", "SQL", "V9__pins_and_kept_messages.sql", -534177065, 1),
                tuple("10", "work queue", "SQL", "V10__work_queue.sql", -529773006, 1),
                tuple("11", "change feed", "SQL", "V11__change_feed.sql", -421149090, 1));
    }

    @Test
    void a_scrub_after_deleting_rows_leaves_none_of_their_bytes_in_the_file_or_the_write_ahead_log() throws Exception {
        Path file = dir.resolve("data").resolve(SqliteStorage.FILE_NAME);
        List<Long> doomed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            doomed.add(storage.messages().append(NewMessage.user("c1", "u1", null, "zqxscrub" + i + " 鸑鷟", Instant.now())).id());
            storage.messages().append(NewMessage.user("c1", "u2", null, "wvukept" + i, Instant.now()));
        }
        storage.messages().delete(doomed);
        storage.scrub();

        Path wal = dir.resolve("data").resolve(SqliteStorage.FILE_NAME + "-wal");
        assertThat(Files.exists(wal) ? Files.size(wal) : 0).as("write-ahead log truncated").isZero();
        for (String token : List.of("zqxscrub", "鸑鷟")) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                    .doesNotContain(new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).contains("wvukept199");
        assertThat(storage.messages().count()).isEqualTo(200);
    }

    @Test
    void opening_creates_missing_parent_directories() {
        Path nested = dir.resolve("a/b/c");
        try (Storage other = SqliteStorage.open(nested, 1_000)) {
            assertThat(other.messages().count()).isZero();
        }
        assertThat(Files.exists(nested.resolve(SqliteStorage.FILE_NAME))).isTrue();
    }

    private static List<Tuple> query(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<Tuple> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) row[i] = rs.getObject(i + 1);
                rows.add(new Tuple(row));
            }
            return rows;
        }
    }
}
