package dev.engram.store;

import java.util.Optional;
import java.util.function.Function;

/**
 * Entry point to persistence. Thread-safe. Repositories obtained from the top-level storage run
 * each call in its own transaction; {@link #inTransaction} hands the work a storage whose
 * repositories all share one transaction, committed when the work returns and rolled back when
 * it throws.
 */
public interface Storage extends AutoCloseable {
    MessageRepository messages();

    OutboxRepository outbox();

    /** The last known state of durable tasks (kept across restarts). */
    TaskStatusRepository taskStatus();

    /** Instant memories and their search terms. */
    MemoryRepository memories();

    /** Stored embeddings of messages and memories (for rebuilding the vector index without re-embedding). */
    EmbeddingRepository embeddings();

    /** The concept graph of the long-term (hippocampus) memory. */
    GraphRepository graph();

    /**
     * The outbox as a cluster's shared work queue, where the dialect offers one (PostgreSQL); empty
     * elsewhere (SQLite). On a transaction's storage its calls join the transaction.
     */
    default Optional<WorkQueue> workQueue() {
        return Optional.empty();
    }

    <T> T inTransaction(Function<Storage, T> work);

    /** Short description, e.g. {@code sqlite:/data/engram.db}. */
    String describe();

    @Override
    void close();

    /**
     * After a deletion meant to forget (a memory, a speaker, a chat): pushes what the database may still hold of
     * deleted rows out of its files where the dialect keeps such copies (SQLite: deleted cells are zeroed as they
     * go; this rewrites the whole file with {@code VACUUM} and truncates the write-ahead log, which takes time in
     * proportion to the database's size and holds other writers back meanwhile). A no-op elsewhere.
     */
    default void scrub() {
    }
}
