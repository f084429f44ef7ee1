package dev.engram.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;

/** {@link MessageRepository} over portable SQL (shared by every SQL dialect). Thread-safe. */
final class SqlMessageRepository implements MessageRepository {
    private static final String COLUMNS =
            "id, chat_id, role, user_id, user_name, text, created_at, memorized_times, external_id";

    private final SqlAccess sql;

    SqlMessageRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public ChatMessage append(NewMessage m) {
        long id = sql.call(h -> h.createUpdate("""
                        INSERT INTO messages (chat_id, role, user_id, user_name, text, created_at, external_id)
                        VALUES (:chat, :role, :uid, :uname, :text, :at, :ext)""")
                .bind("chat", m.chatId())
                .bind("role", SqlRows.role(m.role()))
                .bind("uid", m.userId())
                .bind("uname", m.userName())
                .bind("text", m.text())
                .bind("at", m.createdAt().toEpochMilli())
                .bind("ext", m.externalId())
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
        return new ChatMessage(id, m.chatId(), m.role(), m.userId(), m.userName(), m.text(), m.createdAt(), 0,
                m.externalId());
    }

    @Override
    public Optional<ChatMessage> find(long id) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE id = :id")
                .bind("id", id).map(SqlRows::message).findOne());
    }

    @Override
    public Optional<ChatMessage> findByExternalId(String chatId, String externalId) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE chat_id = :chat AND external_id = :ext")
                .bind("chat", chatId).bind("ext", externalId).map(SqlRows::message).findOne());
    }

    @Override
    public List<ChatMessage> findAll(Collection<Long> ids) {
        return find(ids, "");
    }

    @Override
    public List<ChatMessage> findRemembered(Collection<Long> ids) {
        return find(ids, " AND forgotten = 0");
    }

    private List<ChatMessage> find(Collection<Long> ids, String condition) {
        if (ids.isEmpty()) return List.of();
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE id IN (<ids>)" + condition + " ORDER BY id")
                .bindList("ids", List.copyOf(ids)).map(SqlRows::message).list());
    }

    @Override
    public List<ChatMessage> recent(String chatId, int limit) {
        List<ChatMessage> newestFirst = sql.call(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM messages WHERE chat_id = :chat ORDER BY created_at DESC, id DESC LIMIT :n")
                .bind("chat", chatId).bind("n", limit).map(SqlRows::message).list());
        return newestFirst.reversed();
    }

    @Override
    public List<ChatMessage> between(String chatId, Instant from, Instant to, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " " + """
                         FROM messages WHERE chat_id = :chat AND created_at >= :from AND created_at < :to AND forgotten = 0
                         ORDER BY created_at, id LIMIT :n""")
                .bind("chat", chatId).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                .bind("n", limit).map(SqlRows::message).list());
    }

    @Override
    public List<ChatMessage> betweenAnyChat(Instant from, Instant to, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " " + """
                         FROM messages WHERE created_at >= :from AND created_at < :to AND forgotten = 0
                         ORDER BY created_at, id LIMIT :n""")
                .bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                .bind("n", limit).map(SqlRows::message).list());
    }

    @Override
    public List<ChatMessage> after(long afterId, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + " FROM messages WHERE id > :after AND forgotten = 0 ORDER BY id LIMIT :n")
                .bind("after", afterId).bind("n", limit).map(SqlRows::message).list());
    }

    @Override
    public void incrementMemorized(Collection<Long> ids) {
        if (ids.isEmpty()) return;
        sql.call(h -> h.createUpdate("UPDATE messages SET memorized_times = memorized_times + 1 WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).execute());
    }

    @Override
    public long count() {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM messages").mapTo(Long.class).one());
    }

    @Override
    public long countChats() {
        return sql.call(h -> h.createQuery("SELECT COUNT(DISTINCT chat_id) FROM messages").mapTo(Long.class).one());
    }

    @Override
    public List<ChatSummary> chats(int limit) {
        return sql.call(h -> h.createQuery("""
                        SELECT chat_id, COUNT(*) AS n, MAX(created_at) AS last FROM messages
                        GROUP BY chat_id ORDER BY last DESC, chat_id LIMIT :n""")
                .bind("n", limit)
                .map((rs, ctx) -> new ChatSummary(rs.getString("chat_id"), rs.getLong("n"),
                        Instant.ofEpochMilli(rs.getLong("last"))))
                .list());
    }

    @Override
    public List<Long> idsOf(String chatId, String userId) {
        return sql.call(h -> (chatId == null
                ? h.createQuery("SELECT id FROM messages WHERE user_id = :user ORDER BY id")
                : h.createQuery("SELECT id FROM messages WHERE chat_id = :chat AND user_id = :user ORDER BY id")
                        .bind("chat", chatId))
                .bind("user", userId).mapTo(Long.class).list());
    }

    @Override
    public List<Long> idsOfChat(String chatId) {
        return sql.call(h -> h.createQuery("SELECT id FROM messages WHERE chat_id = :chat ORDER BY id")
                .bind("chat", chatId).mapTo(Long.class).list());
    }

    @Override
    public List<String> chatsOf(String userId) {
        return sql.call(h -> h.createQuery("SELECT DISTINCT chat_id FROM messages WHERE user_id = :user ORDER BY chat_id")
                .bind("user", userId).mapTo(String.class).list());
    }

    @Override
    public int delete(Collection<Long> ids) {
        int n = 0;
        for (List<Long> chunk : SqlRows.chunks(ids)) {
            n += sql.call(h -> h.createUpdate("DELETE FROM messages WHERE id IN (<ids>)").bindList("ids", chunk).execute());
        }
        return n;
    }

    @Override
    public int markForgotten(Collection<Long> ids) {
        if (ids.isEmpty()) return 0;
        return sql.call(h -> {
            int n = 0;
            for (List<Long> chunk : SqlRows.chunks(ids)) {
                n += h.createUpdate("UPDATE messages SET forgotten = 1 WHERE id IN (<ids>)").bindList("ids", chunk).execute();
            }
            return n;
        });
    }

    @Override
    public Set<Long> forgottenAmong(Collection<Long> ids) {
        if (ids.isEmpty()) return java.util.Set.of();
        return sql.call(h -> {
            Set<Long> out = new java.util.HashSet<>();
            for (List<Long> chunk : SqlRows.chunks(ids)) {
                out.addAll(h.createQuery("SELECT id FROM messages WHERE forgotten = 1 AND id IN (<ids>)")
                        .bindList("ids", chunk).mapTo(Long.class).list());
            }
            return out;
        });
    }
}
