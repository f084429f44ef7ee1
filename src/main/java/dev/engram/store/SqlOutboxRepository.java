package dev.engram.store;

import java.util.List;
import java.util.Optional;

/** {@link OutboxRepository} over portable SQL (shared by every SQL dialect). Thread-safe. */
final class SqlOutboxRepository implements OutboxRepository {
    private static final String COLUMNS = "seq, task_id, type, chat_id, payload, created_at, attempts";

    private final SqlAccess sql;

    SqlOutboxRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public void add(OutboxRecord r) {
        addAll(List.of(r));
    }

    @Override
    public void addAll(List<OutboxRecord> records) {
        if (records.isEmpty()) return;
        sql.call(h -> {
            SqlRows.jdbcBatch(h, """
                    INSERT INTO task_outbox (task_id, type, chat_id, payload, created_at, attempts)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (task_id) DO NOTHING""", records, (ps, r) -> {
                ps.setString(1, r.taskId());
                ps.setString(2, r.type());
                ps.setString(3, r.chatId());
                ps.setString(4, r.payload());
                ps.setLong(5, r.createdAt().toEpochMilli());
                ps.setInt(6, r.attempts());
            });
            return null;
        });
    }

    @Override
    public boolean remove(String taskId) {
        return sql.call(h -> h.createUpdate("DELETE FROM task_outbox WHERE task_id = :id").bind("id", taskId).execute()) > 0;
    }

    @Override
    public void removeAll(List<String> taskIds) {
        if (taskIds.isEmpty()) return;
        sql.call(h -> {
            SqlRows.jdbcBatch(h, "DELETE FROM task_outbox WHERE task_id = ?", taskIds, (ps, id) -> ps.setString(1, id));
            return null;
        });
    }

    @Override
    public void updateAttempts(String taskId, int attempts) {
        sql.call(h -> h.createUpdate("UPDATE task_outbox SET attempts = :a WHERE task_id = :id")
                .bind("a", attempts).bind("id", taskId).execute());
    }

    @Override
    public boolean markDead(String taskId, int attempts) {
        return sql.call(h -> h.createUpdate("UPDATE task_outbox SET dead = 1, attempts = :a WHERE task_id = :id")
                .bind("a", attempts).bind("id", taskId).execute()) > 0;
    }

    @Override
    public Optional<OutboxRecord> requeueDead(String taskId) {
        return sql.call(h -> {
            Optional<OutboxRecord> dead = h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE task_id = :id AND dead = 1")
                    .bind("id", taskId).map(SqlRows::outbox).findOne();
            if (dead.isEmpty()) return Optional.<OutboxRecord>empty();
            OutboxRecord r = dead.get();
            h.createUpdate("DELETE FROM task_outbox WHERE task_id = :id").bind("id", taskId).execute();
            h.createUpdate("INSERT INTO task_outbox (task_id, type, chat_id, payload, created_at, attempts)"
                            + " VALUES (:id, :type, :chat, :payload, :at, 0)")
                    .bind("id", r.taskId()).bind("type", r.type()).bind("chat", r.chatId())
                    .bind("payload", r.payload()).bind("at", r.createdAt().toEpochMilli()).execute();
            return h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE task_id = :id")
                    .bind("id", taskId).map(SqlRows::outbox).findOne();
        });
    }

    @Override
    public Optional<OutboxRecord> removeDead(String taskId) {
        return sql.call(h -> {
            Optional<OutboxRecord> dead = h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE task_id = :id AND dead = 1")
                    .bind("id", taskId).map(SqlRows::outbox).findOne();
            if (dead.isPresent()) h.createUpdate("DELETE FROM task_outbox WHERE task_id = :id").bind("id", taskId).execute();
            return dead;
        });
    }

    @Override
    public List<OutboxRecord> listDead(int limit, boolean newestFirst) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE dead = 1 ORDER BY seq "
                        + (newestFirst ? "DESC" : "ASC") + " LIMIT :n")
                .bind("n", limit).map(SqlRows::outbox).list());
    }

    @Override
    public long countDead() {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM task_outbox WHERE dead = 1").mapTo(Long.class).one());
    }

    @Override
    public List<OutboxRecord> list(int offset, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_outbox ORDER BY seq LIMIT :n OFFSET :o")
                .bind("n", limit).bind("o", offset).map(SqlRows::outbox).list());
    }

    @Override
    public List<OutboxRecord> listAfter(long afterSeq, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE seq > :after AND dead = 0 ORDER BY seq LIMIT :n")
                .bind("after", afterSeq).bind("n", limit).map(SqlRows::outbox).list());
    }

    @Override
    public boolean contains(String taskId) {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM task_outbox WHERE task_id = :id")
                .bind("id", taskId).mapTo(Long.class).one()) > 0;
    }

    @Override
    public long count() {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM task_outbox WHERE dead = 0").mapTo(Long.class).one());
    }

    @Override
    public List<OutboxRecord> listChat(String chatId) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_outbox WHERE chat_id = :chat ORDER BY seq")
                .bind("chat", chatId).map(SqlRows::outbox).list());
    }

    @Override
    public int removeChat(String chatId) {
        return sql.call(h -> h.createUpdate("DELETE FROM task_outbox WHERE chat_id = :chat").bind("chat", chatId).execute());
    }
}
