package dev.engram.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.statement.Update;

/**
 * {@link EmbeddingRepository} over portable SQL (shared by every SQL dialect). Vectors are binary
 * columns of float32 little-endian values.
 * Thread-safe.
 */
final class SqlEmbeddingRepository implements EmbeddingRepository {
    /** Ids per {@code IN (...)} list, well below SQLite's bound-parameter limit. */
    private static final int IN_CHUNK = 500;
    /** Rows per INSERT statement (7 parameters each). */
    private static final int INSERT_CHUNK = 100;

    private final SqlAccess sql;

    SqlEmbeddingRepository(SqlAccess sql) {
        this.sql = sql;
    }

    /**
     * One multi-row statement per chunk and no explicit transaction, so the SQLite write lock is held
     * only for the duration of one statement, never across statements or Java code in between; this
     * is on the write path of every message. Rows are independent, so chunks need not commit
     * together; inside {@link Storage#inTransaction} they join that transaction.
     */
    @Override
    public void saveAll(List<Embedding> embeddings) {
        for (int from = 0; from < embeddings.size(); from += INSERT_CHUNK) {
            List<Embedding> chunk = embeddings.subList(from, Math.min(embeddings.size(), from + INSERT_CHUNK));
            StringBuilder sqlText = new StringBuilder(
                    "INSERT INTO embeddings (item_kind, item_id, chat_id, model_id, dims, vector, created_at) VALUES ");
            for (int i = 0; i < chunk.size(); i++) sqlText.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
            sqlText.append("""
                     ON CONFLICT (item_kind, item_id, model_id)
                     DO UPDATE SET chat_id = excluded.chat_id, dims = excluded.dims, vector = excluded.vector,
                                   created_at = excluded.created_at""");
            sql.call(h -> {
                Update update = h.createUpdate(sqlText.toString());
                int p = 0;
                for (Embedding e : chunk) {
                    update.bind(p++, e.kind().wire()).bind(p++, e.itemId()).bind(p++, e.chatId()).bind(p++, e.modelId())
                            .bind(p++, e.vector().length).bind(p++, encode(e.vector())).bind(p++, e.createdAt().toEpochMilli());
                }
                return update.execute();
            });
        }
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
        return sql.call(h -> h.createUpdate("""
                        DELETE FROM embeddings WHERE item_kind = :kind AND created_at < :cutoff
                        AND NOT (item_kind = :memory
                                 AND item_id IN (SELECT id FROM memories WHERE pinned = 1 AND valid_to IS NULL))""")
                .bind("kind", kind.wire()).bind("memory", Kind.MEMORY.wire()).bind("cutoff", cutoff.toEpochMilli())
                .execute());
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

    @Override
    public int delete(Kind kind, Collection<Long> itemIds) {
        int n = 0;
        for (List<Long> chunk : SqlRows.chunks(itemIds)) {
            n += sql.call(h -> h.createUpdate("DELETE FROM embeddings WHERE item_kind = :kind AND item_id IN (<ids>)")
                    .bind("kind", kind.wire()).bindList("ids", chunk).execute());
        }
        return n;
    }
}
