package dev.engram.store.postgres;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.ChangeRow;

/**
 * {@link ChangeFeedRepository} over PostgreSQL's {@code change_log} (pooled connections for reads, a dedicated
 * one per {@link #listen()}). Thread-safe.
 */
final class PostgresChangeFeed implements ChangeFeedRepository {
    /** The NOTIFY channel the triggers of {@code V11__change_feed.sql} signal. */
    static final String CHANNEL = "engram_change_log";
    private static final int IN_CHUNK = 500;
    private static final RowMapper<ChangeRow> ROW = (rs, ctx) -> {
        long ref = rs.getLong("ref_id");
        return new ChangeRow(rs.getLong("seq"), ChangeRow.Kind.of(rs.getString("kind")),
                Optional.ofNullable(rs.getString("chat_id")), rs.wasNull() ? 0 : ref,
                Optional.ofNullable(rs.getString("origin")), Instant.ofEpochMilli(rs.getLong("at")));
    };
    private static final String COLUMNS = "seq, kind, chat_id, ref_id, origin, at";

    private final Jdbi jdbi;
    private final String url;
    private final String user;
    private final String password;

    PostgresChangeFeed(Jdbi jdbi, String url, String user, String password) {
        this.jdbi = jdbi;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public long maxSeq() {
        // the identity's last allocated value, committed or not (is_called false: nothing allocated yet)
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_log_seq_seq""")
                .mapTo(Long.class).one());
    }

    @Override
    public List<ChangeRow> after(long afterSeq, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM change_log WHERE seq > :after ORDER BY seq LIMIT :n")
                .bind("after", afterSeq).bind("n", limit).map(ROW).list());
    }

    @Override
    public List<ChangeRow> find(Collection<Long> seqs) {
        if (seqs.isEmpty()) return List.of();
        List<Long> all = List.copyOf(seqs);
        List<ChangeRow> out = new java.util.ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            out.addAll(jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM change_log WHERE seq IN (<seqs>) ORDER BY seq")
                    .bindList("seqs", chunk).map(ROW).list()));
        }
        return out;
    }

    @Override
    public long prunedBelow() {
        return jdbi.withHandle(h -> h.createQuery("SELECT pruned_below FROM change_log_horizon WHERE id = 1")
                .mapTo(Long.class).one());
    }

    @Override
    public int pruneBefore(Instant cutoff) {
        return jdbi.inTransaction(h -> {
            Long top = h.createQuery("SELECT max(seq) FROM change_log WHERE at < :cutoff")
                    .bind("cutoff", cutoff.toEpochMilli()).mapTo(Long.class).one();
            if (top == null) return 0;
            h.createUpdate("UPDATE change_log_horizon SET pruned_below = GREATEST(pruned_below, :below) WHERE id = 1")
                    .bind("below", top + 1).execute();
            return h.createUpdate("DELETE FROM change_log WHERE seq <= :top").bind("top", top).execute();
        });
    }

    @Override
    public long endedBelow() {
        // a snapshot's xmin is the oldest running transaction (its xmax is not: later ids may run beyond it)
        return jdbi.withHandle(h -> h.createQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
                .mapTo(Long.class).one());
    }

    @Override
    public long freshTransactionId() {
        return jdbi.withHandle(h -> h.createQuery("SELECT pg_current_xact_id()::text::bigint").mapTo(Long.class).one());
    }

    @Override
    public ChangeWakeups listen() {
        return new PostgresWakeups(url, user, password, CHANNEL);
    }
}
