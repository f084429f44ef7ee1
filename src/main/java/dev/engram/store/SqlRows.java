package dev.engram.store;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.jdbi.v3.core.statement.StatementContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;

/**
 * How the shared schema maps to records, for every dialect: times are epoch milliseconds in integer
 * columns, roles are lower-case names, and lists (keywords, message ids) are JSON arrays in text
 * columns. Stateless apart from the immutable JSON mapper; thread-safe.
 */
final class SqlRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Long>> LONGS = new TypeReference<>() { };
    /** Ids per {@code IN (...)} list: far below every dialect's bound-parameter limit. */
    static final int IN_CHUNK = 500;

    private SqlRows() {
    }

    /** Columns {@code id, chat_id, role, user_id, user_name, text, created_at, memorized_times, external_id}. */
    static ChatMessage message(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ChatMessage(
                rs.getLong("id"),
                rs.getString("chat_id"),
                ChatMessage.Role.valueOf(rs.getString("role").toUpperCase()),
                rs.getString("user_id"),
                rs.getString("user_name"),
                rs.getString("text"),
                instant(rs, "created_at"),
                rs.getInt("memorized_times"),
                rs.getString("external_id"));
    }

    /** The stored form of a role. */
    static String role(ChatMessage.Role role) {
        return role.name().toLowerCase();
    }

    /**
     * Columns {@code id, chat_id, text, keywords, message_ids, created_at, valid_to, superseded_by} of
     * {@code memories}; {@link StoredMemory#supersedes} is left empty (a second query fills it).
     */
    static StoredMemory memory(ResultSet rs, StatementContext ctx) throws SQLException {
        long validTo = rs.getLong("valid_to");
        boolean superseded = !rs.wasNull();
        long successor = rs.getLong("superseded_by");
        return new StoredMemory(rs.getLong("id"), rs.getString("chat_id"), rs.getString("text"),
                strings(rs.getString("keywords")), longs(rs.getString("message_ids")), instant(rs, "created_at"),
                superseded ? Instant.ofEpochMilli(validTo) : null, superseded ? successor : null, List.of());
    }

    /** The same memory with the ids of the facts it superseded. */
    static StoredMemory withSupersedes(StoredMemory m, List<Long> supersedes) {
        return new StoredMemory(m.id(), m.chatId(), m.text(), m.keywords(), m.messageIds(), m.createdAt(),
                m.validTo(), m.supersededBy(), supersedes);
    }

    /** Columns {@code seq, task_id, type, chat_id, payload, created_at, attempts} of {@code task_outbox}. */
    static OutboxRecord outbox(ResultSet rs, StatementContext ctx) throws SQLException {
        return new OutboxRecord(rs.getString("task_id"), rs.getString("type"), rs.getString("chat_id"),
                rs.getString("payload"), instant(rs, "created_at"), rs.getInt("attempts"), rs.getLong("seq"));
    }

    /** Columns {@code task_id, type, state, attempts, error, chat_id, submitted_at, updated_at}. */
    static TaskStatusRecord taskStatus(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TaskStatusRecord(rs.getString("task_id"), rs.getString("type"), rs.getString("state"),
                rs.getInt("attempts"), rs.getString("error"), rs.getString("chat_id"), instant(rs, "submitted_at"),
                instant(rs, "updated_at"));
    }

    /**
     * Runs {@code sql} as one JDBC batch on the handle's connection, {@code binder} filling the parameters
     * of each item: the group-commit path of the task engine, where Jdbi's per-row binding would cost more
     * than the database work. A {@link SQLException} leaves as an unchecked exception with it as the cause.
     */
    static <T> void jdbcBatch(org.jdbi.v3.core.Handle h, String sql, List<T> items, RowBinder<T> binder) {
        try (java.sql.PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("batch failed: " + sql.lines().findFirst().orElse(sql) + ": " + e.getMessage(), e);
        }
    }

    /** Fills the parameters of one batch row. */
    @FunctionalInterface
    interface RowBinder<T> {
        void bind(java.sql.PreparedStatement ps, T item) throws SQLException;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    /** A list as the JSON array stored in a text column. */
    static String json(List<?> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON array", e);
        }
    }

    static List<String> strings(String json) {
        return read(json, STRINGS);
    }

    static List<Long> longs(String json) {
        return read(json, LONGS);
    }

    private static <T> List<T> read(String json, TypeReference<List<T>> type) {
        if (json == null || json.isBlank()) return List.of();
        try {
            List<T> values = JSON.readValue(json, type);
            return values == null ? List.of() : values;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("corrupt JSON array in the database: " + json, e);
        }
    }

    /** {@code ids} in slices of at most {@link #IN_CHUNK}, for {@code IN (<ids>)} statements. */
    static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        List<List<Long>> out = new java.util.ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) out.add(all.subList(from, Math.min(all.size(), from + IN_CHUNK)));
        return out;
    }
}
