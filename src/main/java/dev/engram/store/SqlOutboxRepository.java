package dev.engram.store;

import java.util.List;

/** {@link OutboxRepository} over portable SQL (shared by every SQL dialect). Thread-safe. */
final class SqlOutboxRepository implements OutboxRepository {
    private static final String COLUMNS = "seq, task_id, type, chat_id, payload, created_at, attempts";

    private final SqlAccess sql;

    SqlOutboxRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public void add(OutboxRecord r) {
        sql.call(h -> h.createUpdate("""
                        INSERT INTO task_outbox (task_id, type, chat_id, payload, created_at, attempts)
                        VALUES (:id, :type, :chat, :payload, :at, :attempts)
                        ON CONFLICT (task_id) DO NOTHING""")
                .bind("id", r.taskId()).bind("type", r.type()).bind("chat", r.chatId())
                .bind("payload", r.payload()).bind("at", r.createdAt().toEpochMilli())
                .bind("attempts", r.attempts()).execute());
    }

    @Override
    public boolean remove(String taskId) {
        return sql.call(h -> h.createUpdate("DELETE FROM task_outbox WHERE task_id = :id").bind("id", taskId).execute()) > 0;
    }

    @Override
    public void updateAttempts(String taskId, int attempts) {
        sql.call(h -> h.createUpdate("UPDATE task_outbox SET attempts = :a WHERE task_id = :id")
                .bind("a", attempts).bind("id", taskId).execute());
    }

    @Override
    public List<OutboxRecord> list(int offset, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_outbox ORDER BY seq LIMIT :n OFFSET :o")
                .bind("n", limit).bind("o", offset).map(SqlRows::outbox).list());
    }

    @Override
    public List<OutboxRecord> listAfter(long afterSeq, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE seq > :after ORDER BY seq LIMIT :n")
                .bind("after", afterSeq).bind("n", limit).map(SqlRows::outbox).list());
    }

    @Override
    public boolean contains(String taskId) {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM task_outbox WHERE task_id = :id")
                .bind("id", taskId).mapTo(Long.class).one()) > 0;
    }

    @Override
    public long count() {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM task_outbox").mapTo(Long.class).one());
    }

    @Override
    public int removeChat(String chatId) {
        return sql.call(h -> h.createUpdate("DELETE FROM task_outbox WHERE chat_id = :chat").bind("chat", chatId).execute());
    }
}
