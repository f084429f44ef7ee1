package dev.engram.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.engram.store.JdbiStorage;
import dev.engram.store.Storage;

/**
 * SQLite storage: one database file in WAL mode with a busy timeout, migrated by Flyway at open
 * (scripts in {@code db/migration/sqlite}); the repositories are the shared {@link JdbiStorage}.
 * Writers take the write lock when their transaction begins ({@code BEGIN IMMEDIATE}), so two
 * transactions never deadlock upgrading a read lock; the busy timeout makes them queue instead.
 * Thread-safe.
 */
public final class SqliteStorage {
    private static final Logger log = LoggerFactory.getLogger(SqliteStorage.class);
    /** Checkpoints {@link #scrub} tries (each waiting up to the busy timeout) before it gives up. */
    private static final int CHECKPOINT_ATTEMPTS = 5;
    /** Name of the database file inside the data directory. */
    public static final String FILE_NAME = "engram.db";
    /**
     * Flyway scripts of this dialect. Flyway records each script by its name relative to the location,
     * so databases migrated when the scripts sat directly in {@code db/migration} validate unchanged.
     */
    static final String MIGRATIONS = "classpath:db/migration/sqlite";

    private SqliteStorage() {
    }

    /**
     * Opens (creating if needed) {@code dataDir/engram.db}, migrates it, and returns the storage.
     *
     * @param busyTimeoutMs how long a statement waits for a lock held by another connection
     */
    public static Storage open(Path dataDir, int busyTimeoutMs) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();

        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // durable across process crashes in WAL mode
        sqlite.setBusyTimeout(busyTimeoutMs);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        sqlite.enforceForeignKeys(true);
        SQLiteDataSource raw = new SQLiteDataSource(sqlite);
        raw.setUrl("jdbc:sqlite:" + file);

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(raw);
        hikari.setPoolName("engram-sqlite");
        hikari.setConnectionInitSql("PRAGMA secure_delete = ON"); // deleted (forgotten) rows are zeroed, not left in free pages
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return JdbiStorage.over(Jdbi.create(pool), pool, "sqlite:" + file, SqliteStorage::scrub);
    }

    /**
     * {@link Storage#scrub}: {@code VACUUM} rewrites the database without the free pages deleted rows left (their
     * cells are zeroed already, {@code secure_delete}), then a {@code TRUNCATE} checkpoint copies the write-ahead
     * log into the file and empties it, so no older page version (still holding deleted rows) stays in the log. A
     * checkpoint that readers of an older snapshot kept from finishing (it reports {@code busy}) is tried again.
     */
    private static void scrub(Handle h) {
        h.execute("VACUUM");
        for (int attempt = 1; attempt <= CHECKPOINT_ATTEMPTS; attempt++) {
            // columns: busy (1 when it could not finish), frames in the log, frames checkpointed
            if (h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)").mapTo(Integer.class).one() == 0) return;
        }
        log.warn("write-ahead log not truncated after {} checkpoints (readers kept it busy): pages of deleted rows "
                + "may stay in it until a later forget or until the database is closed", CHECKPOINT_ATTEMPTS);
    }
}
