package dev.engram.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link EmbeddingRepository} over plain SQL. Vectors are BLOBs of float32 little-endian values.
 * Thread-safe.
 */
final class SqlEmbeddingRepository implements EmbeddingRepository {
    /** Ids per {@code IN (...)} list, well below SQLite's bound-parameter limit. */
    private static final int IN_CHUNK = 500;

    private final SqlAccess sql;

    SqlEmbeddingRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public void saveAll(List<Embedding> embeddings) {
        if (embeddings.isEmpty()) return;
        sql.call(h -> h.inTransaction(tx -> {
            PreparedBatch batch = tx.prepareBatch("""
                    INSERT INTO embeddings (item_kind, item_id, chat_id, model_id, dims, vector, created_at)
                    VALUES (:kind, :id, :chat, :model, :dims, :vector, :at)
                    ON CONFLICT (item_kind, item_id, model_id)
                    DO UPDATE SET chat_id = excluded.chat_id, dims = excluded.dims, vector = excluded.vector,
                                  created_at = excluded.created_at""");
            for (Embedding e : embeddings) {
                batch.bind("kind", e.kind().wire()).bind("id", e.itemId()).bind("chat", e.chatId())
                        .bind("model", e.modelId()).bind("dims", e.vector().length)
                        .bind("vector", encode(e.vector())).bind("at", e.createdAt().toEpochMilli()).add();
            }
            return batch.execute();
        }));
    }

    @Override
    public Map<Long, float[]> find(Kind kind, Collection<Long> itemIds, String modelId) {
        Map<Long, float[]> found = new HashMap<>();
        List<Long> ids = List.copyOf(itemIds);
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            List<Row> rows = sql.call(h -> h.createQuery("""
                            SELECT item_id, dims, vector FROM embeddings
                            WHERE item_kind = :kind AND model_id = :model AND item_id IN (<ids>)""")
                    .bind("kind", kind.wire()).bind("model", modelId).bindList("ids", chunk)
                    .map((rs, ctx) -> new Row(rs.getLong("item_id"), decode(rs.getBytes("vector"), rs.getInt("dims"))))
                    .list());
            for (Row row : rows) {
                if (row.vector() != null) found.put(row.itemId(), row.vector());
            }
        }
        return found;
    }

    @Override
    public int deleteCreatedBefore(Kind kind, Instant cutoff) {
        return sql.call(h -> h.createUpdate("DELETE FROM embeddings WHERE item_kind = :kind AND created_at < :cutoff")
                .bind("kind", kind.wire()).bind("cutoff", cutoff.toEpochMilli()).execute());
    }

    @Override
    public long count(String modelId) {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM embeddings WHERE model_id = :model")
                .bind("model", modelId).mapTo(Long.class).one());
    }

    /** One selected row; {@code vector} is null when the stored BLOB is damaged. */
    private record Row(long itemId, float[] vector) {
    }

    static byte[] encode(float[] vector) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    /** The vector of a BLOB, or {@code null} when its length does not match {@code dims} (a damaged row). */
    static float[] decode(byte[] bytes, int dims) {
        if (bytes == null || bytes.length != dims * Float.BYTES) return null;
        float[] v = new float[dims];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
