package dev.engram.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stored embeddings of messages and instant memories, so the derived vector index can be rebuilt
 * without running the model again. Rows are keyed by (kind, item id, model id). Thread-safe; every
 * method is one statement or one transaction, and joins the transaction of a storage obtained
 * inside {@link Storage#inTransaction}.
 */
public interface EmbeddingRepository {
    /** What an embedded item is. */
    enum Kind {
        MESSAGE, MEMORY;

        /** The lower-case name stored in the database ({@code message}, {@code memory}). */
        public String wire() {
            return name().toLowerCase();
        }
    }

    /**
     * One stored vector. The array is not copied: callers must not modify it after handing it over.
     *
     * @param createdAt when the item was said or written (retention of the row follows it)
     */
    record Embedding(Kind kind, long itemId, String chatId, String modelId, float[] vector, Instant createdAt) {
        public Embedding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(chatId, "chatId");
            Objects.requireNonNull(modelId, "modelId");
            Objects.requireNonNull(vector, "vector");
            Objects.requireNonNull(createdAt, "createdAt");
            if (vector.length == 0) throw new IllegalArgumentException("vector must not be empty");
        }
    }

    /** Inserts or replaces the given rows (each row independently; no all-or-nothing across rows). */
    void saveAll(List<Embedding> embeddings);

    /** Vectors of the given items under {@code modelId}, by item id; items without a row are absent. */
    Map<Long, float[]> find(Kind kind, Collection<Long> itemIds, String modelId);

    /**
     * Deletes rows of {@code kind} (every model) whose item was created before {@code cutoff}, except the vectors of
     * pinned current memories (index retention keeps those memories searchable); returns the count.
     */
    int deleteCreatedBefore(Kind kind, Instant cutoff);

    /** Number of rows stored under {@code modelId}. */
    long count(String modelId);

    /** Deletes the vectors of these items under every model; returns how many rows went. */
    int delete(Kind kind, Collection<Long> itemIds);
}
