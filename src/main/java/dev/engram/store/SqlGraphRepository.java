package dev.engram.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link GraphRepository} over portable SQL (shared by every SQL dialect; the upserts are standard
 * {@code ON CONFLICT}). Message ids are stored as a JSON array ({@link SqlRows}). Thread-safe: holds no state.
 */
final class SqlGraphRepository implements GraphRepository {
    private final SqlAccess sql;

    SqlGraphRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public List<NodeRow> nodes() {
        return sql.call(h -> h.createQuery(
                        "SELECT id, concept, concept_key, created_at, last_modified FROM graph_nodes ORDER BY id")
                .map((rs, ctx) -> new NodeRow(rs.getLong("id"), rs.getString("concept"), rs.getString("concept_key"),
                        SqlRows.instant(rs, "created_at"), SqlRows.instant(rs, "last_modified")))
                .list());
    }

    @Override
    public List<ItemRow> items() {
        return sql.call(h -> h.createQuery("""
                        SELECT id, node_id, chat_id, text, content_hash, message_ids, created_at
                        FROM graph_items ORDER BY id""")
                .map(SqlGraphRepository::item).list());
    }

    @Override
    public List<EdgeRow> edges() {
        return sql.call(h -> h.createQuery(
                        "SELECT node_a, node_b, strength, created_at, last_modified FROM graph_edges ORDER BY node_a, node_b")
                .map((rs, ctx) -> new EdgeRow(rs.getLong("node_a"), rs.getLong("node_b"), rs.getInt("strength"),
                        SqlRows.instant(rs, "created_at"), SqlRows.instant(rs, "last_modified")))
                .list());
    }

    @Override
    public List<RunRow> runs() {
        return sql.call(h -> h.createQuery("SELECT kind, started_at, duration_ms, outcome, summary FROM graph_runs")
                .map((rs, ctx) -> new RunRow(rs.getString("kind"), SqlRows.instant(rs, "started_at"), rs.getLong("duration_ms"),
                        rs.getString("outcome"), rs.getString("summary")))
                .list());
    }

    @Override
    public long insertNode(String concept, String conceptKey, Instant createdAt) {
        // another instance of a cluster may have written the concept since this one read its graph: then its node
        return sql.call(h -> {
            h.createUpdate("""
                            INSERT INTO graph_nodes (concept, concept_key, created_at, last_modified)
                            VALUES (:concept, :key, :at, :at)
                            ON CONFLICT (concept_key) DO NOTHING""")
                    .bind("concept", concept).bind("key", conceptKey).bind("at", createdAt.toEpochMilli()).execute();
            return h.createQuery("SELECT id FROM graph_nodes WHERE concept_key = :key").bind("key", conceptKey)
                    .mapTo(Long.class).one();
        });
    }

    @Override
    public void touchNode(long id, Instant lastModified) {
        sql.call(h -> h.createUpdate("UPDATE graph_nodes SET last_modified = :at WHERE id = :id")
                .bind("at", lastModified.toEpochMilli()).bind("id", id).execute());
    }

    @Override
    public void deleteNode(long id) {
        sql.call(h -> h.createUpdate("DELETE FROM graph_nodes WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public long insertItem(long nodeId, String chatId, String text, String contentHash, List<Long> messageIds,
                           Instant createdAt) {
        // idempotent like insertNode: the item may have been written by another instance (or an earlier attempt)
        return sql.call(h -> {
            h.createUpdate("""
                            INSERT INTO graph_items (node_id, chat_id, text, content_hash, message_ids, created_at)
                            VALUES (:node, :chat, :text, :hash, :ids, :at)
                            ON CONFLICT (node_id, chat_id, content_hash) DO NOTHING""")
                    .bind("node", nodeId).bind("chat", chatId).bind("text", text).bind("hash", contentHash)
                    .bind("ids", SqlRows.json(messageIds)).bind("at", createdAt.toEpochMilli()).execute();
            return h.createQuery("""
                            SELECT id FROM graph_items WHERE node_id = :node AND chat_id = :chat AND content_hash = :hash""")
                    .bind("node", nodeId).bind("chat", chatId).bind("hash", contentHash).mapTo(Long.class).one();
        });
    }

    @Override
    public void updateItem(long id, List<Long> messageIds, Instant createdAt) {
        sql.call(h -> h.createUpdate("UPDATE graph_items SET message_ids = :ids, created_at = :at WHERE id = :id")
                .bind("ids", SqlRows.json(messageIds)).bind("at", createdAt.toEpochMilli()).bind("id", id).execute());
    }

    @Override
    public void moveItem(long id, long nodeId) {
        sql.call(h -> h.createUpdate("UPDATE graph_items SET node_id = :node WHERE id = :id")
                .bind("node", nodeId).bind("id", id).execute());
    }

    @Override
    public void deleteItem(long id) {
        sql.call(h -> h.createUpdate("DELETE FROM graph_items WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public void upsertEdge(EdgeRow e) {
        sql.call(h -> h.createUpdate("""
                        INSERT INTO graph_edges (node_a, node_b, strength, created_at, last_modified)
                        VALUES (:a, :b, :s, :created, :modified)
                        ON CONFLICT (node_a, node_b) DO UPDATE
                        SET strength = excluded.strength, last_modified = excluded.last_modified""")
                .bind("a", e.a()).bind("b", e.b()).bind("s", e.strength())
                .bind("created", e.createdAt().toEpochMilli()).bind("modified", e.lastModified().toEpochMilli())
                .execute());
    }

    @Override
    public void deleteEdge(long a, long b) {
        sql.call(h -> h.createUpdate("DELETE FROM graph_edges WHERE node_a = :a AND node_b = :b")
                .bind("a", Math.min(a, b)).bind("b", Math.max(a, b)).execute());
    }

    @Override
    public void recordRun(RunRow run) {
        sql.call(h -> h.createUpdate("""
                        INSERT INTO graph_runs (kind, started_at, duration_ms, outcome, summary)
                        VALUES (:kind, :at, :ms, :outcome, :summary)
                        ON CONFLICT (kind) DO UPDATE SET started_at = excluded.started_at,
                            duration_ms = excluded.duration_ms, outcome = excluded.outcome, summary = excluded.summary""")
                .bind("kind", run.kind()).bind("at", run.startedAt().toEpochMilli()).bind("ms", run.durationMillis())
                .bind("outcome", run.outcome()).bind("summary", run.summary()).execute());
    }

    private static ItemRow item(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ItemRow(rs.getLong("id"), rs.getLong("node_id"), rs.getString("chat_id"), rs.getString("text"),
                rs.getString("content_hash"), SqlRows.longs(rs.getString("message_ids")), SqlRows.instant(rs, "created_at"));
    }
}
