package dev.engram.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * SQLite storage: one database file in WAL mode with a busy timeout, migrated by Flyway at open.
 * Writers take the write lock when their transaction begins ({@code BEGIN IMMEDIATE}), so two
 * transactions never deadlock upgrading a read lock; the busy timeout makes them queue instead.
 * Thread-safe.
 */
public final class SqliteStorage {
    /** Name of the database file inside the data directory. */
    public static final String FILE_NAME = "engram.db";

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
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        Jdbi jdbi = Jdbi.create(pool);
        return new JdbiStorage(jdbi, SqlAccess.pooled(jdbi), pool, "sqlite:" + file);
    }

    /** Storage over a Jdbi; top-level instances own the pool, transactional views own nothing. */
    private static final class JdbiStorage implements Storage {
        private final Jdbi jdbi;
        private final HikariDataSource pool; // null for a transactional view
        private final String description;
        private final MessageRepository messages;
        private final OutboxRepository outbox;
        private final MemoryRepository memories;
        private final EmbeddingRepository embeddings;
        private final GraphRepository graph;

        JdbiStorage(Jdbi jdbi, SqlAccess sql, HikariDataSource pool, String description) {
            this.jdbi = jdbi;
            this.pool = pool;
            this.description = description;
            this.messages = new SqlMessageRepository(sql);
            this.outbox = new SqlOutboxRepository(sql);
            this.memories = new SqlMemoryRepository(sql);
            this.embeddings = new SqlEmbeddingRepository(sql);
            this.graph = new SqlGraphRepository(sql);
        }

        @Override
        public MessageRepository messages() {
            return messages;
        }

        @Override
        public OutboxRepository outbox() {
            return outbox;
        }

        @Override
        public MemoryRepository memories() {
            return memories;
        }

        @Override
        public EmbeddingRepository embeddings() {
            return embeddings;
        }

        @Override
        public GraphRepository graph() {
            return graph;
        }

        @Override
        public <T> T inTransaction(Function<Storage, T> work) {
            if (pool == null) return work.apply(this); // already inside a transaction: join it
            return jdbi.inTransaction(h -> work.apply(new JdbiStorage(jdbi, SqlAccess.bound(h), null, description)));
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public void close() {
            if (pool != null) pool.close();
        }
    }
}
