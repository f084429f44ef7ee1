package dev.engram.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link TaskStatusRepository} over portable SQL (shared by every SQL dialect). Thread-safe. */
final class SqlTaskStatusRepository implements TaskStatusRepository {
    private static final String COLUMNS = "task_id, type, state, attempts, error, chat_id, submitted_at, updated_at";
    private static final String UPSERT = """
            INSERT INTO task_status (task_id, type, state, attempts, error, chat_id, submitted_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id) DO UPDATE SET type = excluded.type, state = excluded.state,
                attempts = excluded.attempts, error = excluded.error, chat_id = excluded.chat_id,
                submitted_at = excluded.submitted_at, updated_at = excluded.updated_at""";

    private final SqlAccess sql;

    SqlTaskStatusRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public void put(TaskStatusRecord r) {
        putAll(List.of(r));
    }

    @Override
    public void putAll(List<TaskStatusRecord> records) {
        if (records.isEmpty()) return;
        sql.call(h -> {
            SqlRows.jdbcBatch(h, UPSERT, records, (ps, r) -> {
                ps.setString(1, r.taskId());
                ps.setString(2, r.type());
                ps.setString(3, r.state());
                ps.setInt(4, r.attempts());
                ps.setString(5, r.error());
                ps.setString(6, r.chatId());
                ps.setLong(7, r.submittedAt().toEpochMilli());
                ps.setLong(8, r.updatedAt().toEpochMilli());
            });
            return null;
        });
    }

    @Override
    public Optional<TaskStatusRecord> find(String taskId) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM task_status WHERE task_id = :id")
                .bind("id", taskId).map(SqlRows::taskStatus).findOne());
    }

    @Override
    public boolean remove(String taskId) {
        return sql.call(h -> h.createUpdate("DELETE FROM task_status WHERE task_id = :id").bind("id", taskId)
                .execute()) > 0;
    }

    @Override
    public long count() {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM task_status").mapTo(Long.class).one());
    }

    @Override
    public int deleteRange(String fromId, String toId, Collection<String> states) {
        return sql.call(h -> h.createUpdate("DELETE FROM task_status WHERE task_id >= :from AND task_id < :to"
                        + " AND state IN (<states>)")
                .bind("from", fromId).bind("to", toId).bindList("states", List.copyOf(states)).execute());
    }

    @Override
    public int deleteBeyond(String fromId, String toId, Collection<String> states, int keep) {
        return sql.call(h -> {
            Optional<String> newestDropped = h.createQuery("SELECT task_id FROM task_status"
                            + " WHERE task_id >= :from AND task_id < :to ORDER BY task_id DESC LIMIT 1 OFFSET :keep")
                    .bind("from", fromId).bind("to", toId).bind("keep", keep).mapTo(String.class).findOne();
            if (newestDropped.isEmpty()) return 0;
            return h.createUpdate("DELETE FROM task_status WHERE task_id >= :from AND task_id <= :last"
                            + " AND state IN (<states>)")
                    .bind("from", fromId).bind("last", newestDropped.get()).bindList("states", List.copyOf(states))
                    .execute();
        });
    }
}
