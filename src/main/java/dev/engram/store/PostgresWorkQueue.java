package dev.engram.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link WorkQueue} in PostgreSQL SQL (advisory locks, {@code SKIP LOCKED}, {@code LISTEN/NOTIFY}, sequences);
 * the tables are {@code task_outbox} ({@code claimed_by}, {@code claim_seq}) and {@code work_leases}
 * (migration V10). Thread-safe.
 *
 * <p>Lock order, which keeps claimers from deadlocking: a claim locks lease rows without waiting
 * ({@code SKIP LOCKED}), inserts missing leases in name order, then claims outbox rows; writers of outbox
 * rows never wait for lease rows. Advisory locks of {@link #orderAdds} are taken in hash order.
 */
final class PostgresWorkQueue implements WorkQueue {
    /** The NOTIFY channel of new work. */
    static final String CHANNEL = "engram_work";
    /** Advisory-lock class of chat keys (the first half of the two-part key). */
    private static final int LOCK_CLASS = 0x656e67; // "eng"
    /** claim_seq = claim batch * BATCH_SPAN + position in the batch. */
    private static final long BATCH_SPAN = 1L << 24;
    private static final String COLUMNS = "seq, task_id, type, chat_id, payload, created_at, attempts";

    private final Jdbi jdbi;
    private final SqlAccess sql;

    PostgresWorkQueue(Jdbi jdbi, SqlAccess sql) {
        this.jdbi = jdbi;
        this.sql = sql;
    }

    @Override
    public void orderAdds(Collection<String> chatIds) {
        if (chatIds.isEmpty()) return;
        String[] keys = chatIds.stream().map(WorkQueue::leaseOf).distinct().toArray(String[]::new);
        sql.call(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement(
                    "SELECT pg_advisory_xact_lock(" + LOCK_CLASS + ", k) FROM"
                            + " (SELECT DISTINCT hashtext(n) AS k FROM unnest(?::text[]) AS n ORDER BY 1) s")) {
                ps.setArray(1, h.getConnection().createArrayOf("text", keys));
                ps.executeQuery().close();
            } catch (SQLException e) {
                throw new IllegalStateException("locking the chats of new outbox rows failed: " + e.getMessage(), e);
            }
            notifyWork(h);
            return null;
        });
    }

    @Override
    public Claim claim(String owner, long now, long leaseMs, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        return sql.call(h -> h.inTransaction(tx -> {
            List<String> chats = tx.createQuery("""
                            SELECT chat_id FROM task_outbox WHERE claimed_by IS NULL AND dead = 0 ORDER BY seq LIMIT :n""")
                    .bind("n", limit).mapTo(String.class).list();
            TreeSet<String> names = new TreeSet<>();
            chats.forEach(c -> names.add(WorkQueue.leaseOf(c)));
            names.addAll(tx.createQuery("""
                            SELECT l.name FROM work_leases l WHERE l.expires_at < :now AND l.owner <> :me
                              AND ((l.name = 'maintenance'
                                    AND EXISTS (SELECT 1 FROM task_outbox o WHERE o.dead = 0 AND o.chat_id IS NULL))
                                OR (l.name LIKE 'chat:%'
                                    AND EXISTS (SELECT 1 FROM task_outbox o WHERE o.dead = 0 AND o.chat_id = substr(l.name, 6))))
                            ORDER BY l.name LIMIT :n""")
                    .bind("now", now).bind("me", owner).bind("n", limit).mapTo(String.class).list());
            boolean more = chats.size() == limit;
            if (names.isEmpty()) return new Claim(Set.of(), List.of(), false);
            long expires = now + leaseMs;
            String[] wanted = names.toArray(String[]::new);
            List<Lease> locked = tx.createQuery("""
                            SELECT name, owner, expires_at, token FROM work_leases WHERE name = ANY(:names)
                            ORDER BY name FOR UPDATE SKIP LOCKED""")
                    .bindArray("names", String.class, (Object[]) wanted).map(PostgresWorkQueue::lease).list();
            Set<String> existing = new HashSet<>();
            List<String> take = new ArrayList<>();
            for (Lease l : locked) {
                existing.add(l.name());
                if (l.owner().equals(owner) || l.expiresAt() < now) take.add(l.name());
            }
            Set<String> held = new TreeSet<>(take);
            if (!take.isEmpty()) {
                tx.createUpdate("""
                                UPDATE work_leases SET expires_at = :exp,
                                  token = CASE WHEN owner = :me THEN token ELSE nextval('work_lease_token') END, owner = :me
                                WHERE name = ANY(:names)""")
                        .bind("exp", expires).bind("me", owner).bindArray("names", String.class, take.toArray())
                        .execute();
            }
            List<String> absent = names.stream().filter(n -> !existing.contains(n)).toList();
            if (!absent.isEmpty()) {
                held.addAll(tx.createQuery("""
                                INSERT INTO work_leases (name, owner, expires_at, token)
                                SELECT n, :me, :exp, nextval('work_lease_token') FROM unnest(:names) AS n
                                WHERE NOT EXISTS (SELECT 1 FROM work_leases w WHERE w.name = n) ORDER BY n
                                ON CONFLICT (name) DO NOTHING RETURNING name""")
                        .bind("me", owner).bind("exp", expires).bindArray("names", String.class, absent.toArray())
                        .mapTo(String.class).list());
            }
            if (held.isEmpty()) return new Claim(Set.of(), List.of(), more);
            List<ClaimedRecord> claimed = claimRows(tx, owner, held);
            if (claimed.size() >= BATCH_SPAN - 1) more = true;
            return new Claim(held, claimed, more);
        }));
    }

    /** Claims every live row of {@code leases} that {@code owner} has not claimed, numbered in seq order. */
    private static List<ClaimedRecord> claimRows(Handle tx, String owner, Set<String> leases) {
        boolean maintenance = leases.contains(MAINTENANCE);
        Object[] chats = leases.stream().filter(n -> n.startsWith(CHAT_PREFIX))
                .map(n -> n.substring(CHAT_PREFIX.length())).toArray();
        long base = tx.createQuery("SELECT nextval('task_claim_batch')").mapTo(Long.class).one() * BATCH_SPAN;
        List<ClaimedRecord> rows = new ArrayList<>(tx.createQuery("""
                        WITH picked AS (
                          SELECT seq FROM task_outbox WHERE dead = 0 AND claimed_by IS DISTINCT FROM :me
                            AND (chat_id = ANY(:chats) OR (:maint AND chat_id IS NULL))
                          ORDER BY seq LIMIT :cap),
                        numbered AS (SELECT seq, row_number() OVER (ORDER BY seq) AS rn FROM picked)
                        UPDATE task_outbox o SET claimed_by = :me, claim_seq = :base + n.rn FROM numbered n
                        WHERE o.seq = n.seq
                        RETURNING o.seq, o.task_id, o.type, o.chat_id, o.payload, o.created_at, o.attempts, o.claim_seq""")
                .bind("me", owner).bindArray("chats", String.class, chats).bind("maint", maintenance)
                .bind("cap", BATCH_SPAN - 1).bind("base", base)
                .map((rs, ctx) -> new ClaimedRecord(SqlRows.outbox(rs, ctx), rs.getLong("claim_seq"))).list());
        rows.sort(Comparator.comparingLong(ClaimedRecord::claimSeq));
        return rows;
    }

    @Override
    public Set<String> renew(String owner, long now, long leaseMs) {
        return Set.copyOf(sql.call(h -> h.createQuery("""
                        UPDATE work_leases SET expires_at = :exp
                        WHERE owner = :me AND name IN (SELECT name FROM work_leases WHERE owner = :me ORDER BY name FOR UPDATE)
                        RETURNING name""")
                .bind("exp", now + leaseMs).bind("me", owner).mapTo(String.class).list()));
    }

    @Override
    public Set<String> releaseIdle(String owner, long now) {
        return Set.copyOf(sql.call(h -> h.createQuery("""
                        DELETE FROM work_leases l
                        WHERE l.name IN (SELECT name FROM work_leases WHERE name LIKE 'chat:%'
                                           AND (owner = :me OR expires_at < :now) ORDER BY name FOR UPDATE SKIP LOCKED)
                          AND (l.owner = :me OR l.expires_at < :now)
                          AND NOT EXISTS (SELECT 1 FROM task_outbox o WHERE o.dead = 0 AND o.chat_id = substr(l.name, 6))
                        RETURNING l.name""")
                .bind("me", owner).bind("now", now).mapTo(String.class).list()));
    }

    @Override
    public void release(String owner) {
        sql.call(h -> h.inTransaction(tx -> {
            tx.createUpdate("""
                            DELETE FROM work_leases
                            WHERE owner = :me AND name IN (SELECT name FROM work_leases WHERE owner = :me ORDER BY name FOR UPDATE)""")
                    .bind("me", owner).execute();
            tx.createUpdate("UPDATE task_outbox SET claimed_by = NULL, claim_seq = NULL WHERE claimed_by = :me")
                    .bind("me", owner).execute();
            notifyWork(tx);
            return null;
        }));
    }

    @Override
    public Optional<Lease> tryLease(String name, String owner, long now, long leaseMs) {
        return sql.call(h -> h.inTransaction(tx -> {
            Optional<Lease> lease = tx.createQuery("""
                            INSERT INTO work_leases (name, owner, expires_at, token)
                            VALUES (:name, :me, :exp, nextval('work_lease_token'))
                            ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at,
                              token = CASE WHEN work_leases.owner = EXCLUDED.owner THEN work_leases.token ELSE EXCLUDED.token END
                            WHERE work_leases.owner = EXCLUDED.owner OR work_leases.expires_at < :now
                            RETURNING name, owner, expires_at, token""")
                    .bind("name", name).bind("me", owner).bind("exp", now + leaseMs).bind("now", now)
                    .map(PostgresWorkQueue::lease).findOne();
            if (lease.isPresent()) {
                boolean maintenance = name.equals(MAINTENANCE);
                tx.createUpdate("""
                                UPDATE task_outbox SET claimed_by = NULL, claim_seq = NULL
                                WHERE dead = 0 AND claimed_by IS NOT NULL AND claimed_by <> :me
                                  AND ((:maint AND chat_id IS NULL) OR chat_id = :chat)""")
                        .bind("me", owner).bind("maint", maintenance)
                        .bind("chat", name.startsWith(CHAT_PREFIX) ? name.substring(CHAT_PREFIX.length()) : null)
                        .execute();
            }
            return lease;
        }));
    }

    @Override
    public Optional<Lease> lease(String name) {
        return sql.call(h -> h.createQuery("SELECT name, owner, expires_at, token FROM work_leases WHERE name = :name")
                .bind("name", name).map(PostgresWorkQueue::lease).findOne());
    }

    @Override
    public List<ClaimedRecord> listClaimed(String owner, long afterClaimSeq, int limit) {
        return sql.call(h -> h.createQuery("SELECT " + COLUMNS + ", claim_seq FROM task_outbox"
                        + " WHERE claimed_by = :me AND dead = 0 AND claim_seq > :after ORDER BY claim_seq LIMIT :n")
                .bind("me", owner).bind("after", afterClaimSeq).bind("n", limit)
                .map((rs, ctx) -> new ClaimedRecord(SqlRows.outbox(rs, ctx), rs.getLong("claim_seq"))).list());
    }

    @Override
    public Listener listen() {
        Handle h = jdbi.open();
        try {
            h.execute("LISTEN " + CHANNEL);
            return new PgListener(h, h.getConnection().unwrap(PGConnection.class));
        } catch (SQLException | RuntimeException e) {
            h.close();
            throw new IllegalStateException("cannot LISTEN for new work: " + e.getMessage(), e);
        }
    }

    private static void notifyWork(Handle h) {
        h.createQuery("SELECT pg_notify('" + CHANNEL + "', '')").mapTo(String.class).list();
    }

    private static Lease lease(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Lease(rs.getString("name"), rs.getString("owner"), rs.getLong("expires_at"), rs.getLong("token"));
    }

    private record PgListener(Handle handle, PGConnection connection) implements Listener {
        @Override
        public boolean await(Duration timeout) {
            try {
                PGNotification[] got = connection.getNotifications((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
                return got != null && got.length > 0;
            } catch (SQLException e) {
                throw new IllegalStateException("waiting for work notifications failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            handle.close();
        }
    }
}
