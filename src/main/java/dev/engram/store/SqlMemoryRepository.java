package dev.engram.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.engram.model.StoredMemory;

/**
 * {@link MemoryRepository} over portable SQL (shared by every SQL dialect). Rows map
 * through {@link SqlRows}. Thread-safe: holds no state.
 */
final class SqlMemoryRepository implements MemoryRepository {
    private static final String COLUMNS = "m.id, m.chat_id, m.text, m.keywords, m.message_ids, m.created_at,"
            + " m.valid_to, m.superseded_by";

    private final SqlAccess sql;

    SqlMemoryRepository(SqlAccess sql) {
        this.sql = sql;
    }

    @Override
    public StoredMemory insert(NewMemory m, Collection<Long> supersedes) {
        return sql.call(h -> h.inTransaction(tx -> {
            if (m.sourceKey() != null) {
                Optional<StoredMemory> existing = findBySource(tx, m.chatId(), m.sourceKey());
                if (existing.isPresent()) return existing.get();
            }
            long id = tx.createUpdate("""
                            INSERT INTO memories (chat_id, text, keywords, message_ids, created_at, content_hash, source_key)
                            VALUES (:chat, :text, :kw, :ids, :at, :hash, :src)""")
                    .bind("chat", m.chatId()).bind("text", m.text())
                    .bind("kw", SqlRows.json(m.keywords())).bind("ids", SqlRows.json(m.messageIds()))
                    .bind("at", m.createdAt().toEpochMilli()).bind("hash", m.contentHash()).bind("src", m.sourceKey())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            if (!m.terms().isEmpty()) {
                PreparedBatch batch = tx.prepareBatch("INSERT INTO memory_terms (chat_id, term, created_at, memory_id)"
                        + " VALUES (:chat, :term, :at, :id)");
                for (String term : m.terms()) {
                    batch.bind("chat", m.chatId()).bind("term", term).bind("at", m.createdAt().toEpochMilli())
                            .bind("id", id).add();
                }
                batch.execute();
            }
            List<Long> superseded = new ArrayList<>();
            for (long old : new TreeSet<>(supersedes)) {
                int n = tx.createUpdate("UPDATE memories SET valid_to = :at, superseded_by = :id"
                                + " WHERE id = :old AND chat_id = :chat AND valid_to IS NULL AND id <> :id")
                        .bind("at", m.createdAt().toEpochMilli()).bind("id", id).bind("old", old).bind("chat", m.chatId())
                        .execute();
                if (n > 0) superseded.add(old);
            }
            return new StoredMemory(id, m.chatId(), m.text(), m.keywords(), m.messageIds(), m.createdAt(), null, null,
                    superseded);
        }));
    }

    @Override
    public Optional<StoredMemory> find(long id) {
        return sql.call(h -> complete(h, h.createQuery("SELECT " + COLUMNS + " FROM memories m WHERE m.id = :id")
                .bind("id", id).map(SqlRows::memory).list()).stream().findFirst());
    }

    @Override
    public List<StoredMemory> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return sql.call(h -> findAll(h, ids));
    }

    @Override
    public List<StoredMemory> writtenFrom(Collection<Long> messageIds) {
        if (messageIds.isEmpty()) return List.of();
        Set<Long> wanted = Set.copyOf(messageIds);
        return sql.call(h -> {
            Map<Long, StoredMemory> out = new TreeMap<>();
            for (List<Long> chunk : SqlRows.chunks(wanted)) {
                h.createQuery("SELECT " + COLUMNS + " FROM messages g JOIN memories m"
                                + " ON m.chat_id = g.chat_id AND m.created_at = g.created_at WHERE g.id IN (<ids>)")
                        .bindList("ids", chunk).map(SqlRows::memory)
                        .forEach(m -> {
                            if (m.messageIds().stream().anyMatch(wanted::contains)) out.put(m.id(), m);
                        });
            }
            return List.copyOf(out.values());
        });
    }

    @Override
    public List<StoredMemory> byChat(String chatId, Instant from, Instant to, int limit) {
        return sql.call(h -> complete(h, h.createQuery("SELECT " + COLUMNS
                        + " FROM memories m WHERE m.chat_id = :chat AND m.created_at >= :from AND m.created_at < :to"
                        + " ORDER BY m.created_at DESC, m.id DESC LIMIT :n")
                .bind("chat", chatId).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                .bind("n", limit).map(SqlRows::memory).list()));
    }

    @Override
    public List<StoredMemory> after(long afterId, int limit) {
        return sql.call(h -> complete(h, h.createQuery("SELECT " + COLUMNS
                        + " FROM memories m WHERE m.id > :after ORDER BY m.id LIMIT :n")
                .bind("after", afterId).bind("n", limit).map(SqlRows::memory).list()));
    }

    @Override
    public Optional<StoredMemory> findByHash(String chatId, String contentHash) {
        return sql.call(h -> complete(h, h.createQuery("SELECT " + COLUMNS
                        + " FROM memories m WHERE m.chat_id = :chat AND m.content_hash = :hash ORDER BY m.id LIMIT 1")
                .bind("chat", chatId).bind("hash", contentHash).map(SqlRows::memory).list()).stream().findFirst());
    }

    @Override
    public Optional<StoredMemory> findBySource(String chatId, String sourceKey) {
        return sql.call(h -> findBySource(h, chatId, sourceKey));
    }

    @Override
    public List<TermMatch> matchTerms(String chatId, Collection<String> terms, Instant from, Instant to, int perTermLimit,
                                      int limit) {
        if (terms.isEmpty() || limit <= 0 || perTermLimit <= 0) return List.of();
        return sql.call(h -> {
            // 1. newest postings per term: an index range scan on (chat_id, term, created_at) each
            Map<Long, Integer> matched = new HashMap<>();
            Map<Long, Long> createdAt = new HashMap<>();
            for (String term : new LinkedHashSet<>(terms)) {
                h.createQuery("""
                                SELECT memory_id, created_at FROM memory_terms
                                WHERE chat_id = :chat AND term = :term AND created_at >= :from AND created_at < :to
                                ORDER BY created_at DESC, memory_id DESC LIMIT :n""")
                        .bind("chat", chatId).bind("term", term).bind("from", from.toEpochMilli())
                        .bind("to", to.toEpochMilli()).bind("n", perTermLimit)
                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                        .forEach(row -> {
                            matched.merge(row[0], 1, Integer::sum);
                            createdAt.put(row[0], row[1]);
                        });
            }
            // 2. best candidates: most distinct terms, then newest
            List<Long> best = matched.keySet().stream()
                    .sorted(Comparator.<Long>comparingInt(matched::get).reversed()
                            .thenComparing(createdAt::get, Comparator.reverseOrder())
                            .thenComparing(Comparator.reverseOrder()))
                    .limit(limit).toList();
            // 3. their rows and terms
            Map<Long, StoredMemory> rows = new HashMap<>();
            findAll(h, best).forEach(m -> rows.put(m.id(), m));
            Map<Long, Set<String>> termsById = termsOf(h, best);
            List<TermMatch> out = new ArrayList<>(best.size());
            for (Long id : best) {
                StoredMemory m = rows.get(id);
                if (m != null) out.add(new TermMatch(m, matched.get(id), termsById.getOrDefault(id, Set.of())));
            }
            return out;
        });
    }

    @Override
    public Map<Long, Set<String>> termsOf(Collection<Long> memoryIds) {
        if (memoryIds.isEmpty()) return Map.of();
        return sql.call(h -> termsOf(h, memoryIds));
    }

    private static Map<Long, Set<String>> termsOf(Handle h, Collection<Long> ids) {
        Map<Long, Set<String>> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        h.createQuery("SELECT memory_id, term FROM memory_terms WHERE memory_id IN (<ids>)")
                .bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        return out;
    }

    private static List<StoredMemory> findAll(Handle h, Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return complete(h, h.createQuery("SELECT " + COLUMNS + " FROM memories m WHERE m.id IN (<ids>) ORDER BY m.id")
                .bindList("ids", List.copyOf(ids)).map(SqlRows::memory).list());
    }

    @Override
    public long count() {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM memories").mapTo(Long.class).one());
    }

    @Override
    public long countByChat(String chatId) {
        return sql.call(h -> h.createQuery("SELECT COUNT(*) FROM memories WHERE chat_id = :chat")
                .bind("chat", chatId).mapTo(Long.class).one());
    }

    private static Optional<StoredMemory> findBySource(Handle h, String chatId, String sourceKey) {
        return complete(h, h.createQuery("SELECT " + COLUMNS + " FROM memories m WHERE m.chat_id = :chat AND m.source_key = :src")
                .bind("chat", chatId).bind("src", sourceKey).map(SqlRows::memory).list()).stream().findFirst();
    }

    /** The memories with {@link StoredMemory#supersedes} filled (one indexed query). */
    private static List<StoredMemory> complete(Handle h, List<StoredMemory> rows) {
        if (rows.isEmpty()) return rows;
        Map<Long, List<Long>> predecessors = new HashMap<>();
        h.createQuery("SELECT superseded_by, id FROM memories WHERE superseded_by IN (<ids>) ORDER BY id")
                .bindList("ids", rows.stream().map(StoredMemory::id).toList())
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .forEach(row -> predecessors.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]));
        if (predecessors.isEmpty()) return rows;
        return rows.stream().map(m -> predecessors.containsKey(m.id())
                ? SqlRows.withSupersedes(m, predecessors.get(m.id())) : m).toList();
    }

    @Override
    public List<StoredMemory> page(String chatId, Long beforeId, int limit) {
        return sql.call(h -> complete(h, h.createQuery("SELECT " + COLUMNS
                        + " FROM memories m WHERE m.chat_id = :chat AND m.id < :before ORDER BY m.id DESC LIMIT :n")
                .bind("chat", chatId).bind("before", beforeId == null ? Long.MAX_VALUE : beforeId).bind("n", limit)
                .map(SqlRows::memory).list()));
    }

    @Override
    public int delete(Collection<Long> ids) {
        if (ids.isEmpty()) return 0;
        return sql.call(h -> h.inTransaction(tx -> {
            int n = 0;
            for (List<Long> chunk : SqlRows.chunks(ids)) {
                tx.createUpdate("UPDATE memories SET valid_to = NULL, superseded_by = NULL WHERE superseded_by IN (<ids>)")
                        .bindList("ids", chunk).execute();
            }
            for (List<Long> chunk : SqlRows.chunks(ids)) {
                tx.createUpdate("DELETE FROM memory_terms WHERE memory_id IN (<ids>)").bindList("ids", chunk).execute();
                n += tx.createUpdate("DELETE FROM memories WHERE id IN (<ids>)").bindList("ids", chunk).execute();
            }
            return n;
        }));
    }

    @Override
    public boolean setPinned(long id, boolean pinned) {
        return sql.call(h -> h.createUpdate("UPDATE memories SET pinned = :p WHERE id = :id")
                .bind("p", pinned ? 1 : 0).bind("id", id).execute()) > 0;
    }

    @Override
    public Set<Long> pinnedAmong(Collection<Long> ids) {
        if (ids.isEmpty()) return Set.of();
        return sql.call(h -> {
            Set<Long> out = new HashSet<>();
            for (List<Long> chunk : SqlRows.chunks(ids)) {
                out.addAll(h.createQuery("SELECT id FROM memories WHERE pinned = 1 AND id IN (<ids>)")
                        .bindList("ids", chunk).mapTo(Long.class).list());
            }
            return out;
        });
    }

    @Override
    public List<StoredMemory> pinned(int limit) {
        return sql.call(h -> complete(h, h.createQuery("SELECT " + COLUMNS
                        + " FROM memories m WHERE m.pinned = 1 AND m.valid_to IS NULL ORDER BY m.id LIMIT :n")
                .bind("n", limit).map(SqlRows::memory).list()));
    }
}
