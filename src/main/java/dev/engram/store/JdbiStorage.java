package dev.engram.store;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The dialect-neutral half of every SQL backend: the repositories over portable SQL and the
 * transaction helper, on a {@link Jdbi} a dialect package has configured (connection pool, locking,
 * migrations); on PostgreSQL (recognised from the connection) also the {@link WorkQueue}. The dialect decides how a transaction begins (SQLite: {@code BEGIN IMMEDIATE} through
 * its driver settings); this class only opens, commits and rolls back. Thread-safe.
 *
 * <p>Top-level instances run each repository call on a pooled handle of its own and release the
 * dialect's resources on {@link #close()}; the view handed to {@link #inTransaction} shares one handle
 * and owns nothing. Jdbi binds an open transaction's handle to its thread, so a call the work makes on
 * the top-level instance from that same thread joins the transaction too; other threads see only what
 * was committed.
 */
public final class JdbiStorage implements Storage {
    private final Jdbi jdbi;
    private final AutoCloseable resources; // null for a transactional view
    private final String description;
    private final Consumer<Handle> scrub;
    private final MessageRepository messages;
    private final OutboxRepository outbox;
    private final TaskStatusRepository taskStatus;
    private final MemoryRepository memories;
    private final EmbeddingRepository embeddings;
    private final GraphRepository graph;
    private final boolean postgres;
    private final WorkQueue workQueue; // null unless PostgreSQL

    private JdbiStorage(Jdbi jdbi, SqlAccess sql, AutoCloseable resources, String description, Consumer<Handle> scrub,
                        boolean postgres) {
        this.jdbi = jdbi;
        this.scrub = scrub;
        this.resources = resources;
        this.description = description;
        this.messages = new SqlMessageRepository(sql);
        this.outbox = new SqlOutboxRepository(sql);
        this.taskStatus = new SqlTaskStatusRepository(sql);
        this.memories = new SqlMemoryRepository(sql);
        this.embeddings = new SqlEmbeddingRepository(sql);
        this.graph = new SqlGraphRepository(sql);
        this.postgres = postgres;
        this.workQueue = postgres ? new PostgresWorkQueue(jdbi, sql) : null;
    }

    /**
     * Storage over a migrated schema reached through {@code jdbi}.
     *
     * @param resources   what {@link #close()} releases (typically the connection pool)
     * @param description what {@link #describe()} returns, e.g. {@code sqlite:/data/engram.db}
     */
    public static Storage over(Jdbi jdbi, AutoCloseable resources, String description) {
        Objects.requireNonNull(jdbi, "jdbi");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(description, "description");
        return new JdbiStorage(jdbi, SqlAccess.pooled(jdbi), resources, description, h -> { }, isPostgres(jdbi));
    }

    /**
     * {@link #over(Jdbi, AutoCloseable, String)} with what {@link #scrub()} does, on a pooled handle of its own
     * outside any transaction (e.g. {@code VACUUM}, then a WAL checkpoint).
     */
    public static Storage over(Jdbi jdbi, AutoCloseable resources, String description, Consumer<Handle> scrub) {
        Objects.requireNonNull(jdbi, "jdbi");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(scrub, "scrub");
        return new JdbiStorage(jdbi, SqlAccess.pooled(jdbi), resources, description, scrub, isPostgres(jdbi));
    }

    @Override
    public void scrub() {
        if (resources == null) return;
        jdbi.useHandle(scrub::accept);
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
    public TaskStatusRepository taskStatus() {
        return taskStatus;
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
    public Optional<WorkQueue> workQueue() {
        return Optional.ofNullable(workQueue);
    }

    @Override
    public <T> T inTransaction(Function<Storage, T> work) {
        if (resources == null) return work.apply(this); // already inside a transaction: join it
        return jdbi.inTransaction(h -> work.apply(new JdbiStorage(jdbi, SqlAccess.bound(h), null, description, scrub,
                postgres)));
    }

    /** Whether the database behind {@code jdbi} is PostgreSQL (which has the {@link WorkQueue}). */
    private static boolean isPostgres(Jdbi jdbi) {
        return jdbi.withHandle(h -> {
            try {
                return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot read the database product name: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (resources == null) return;
        try {
            resources.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + description + " failed", e);
        }
    }
}
