package dev.engram.store.postgres;

import java.util.Objects;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.JdbiStorage;
import dev.engram.store.Storage;

/**
 * PostgreSQL storage: a bounded HikariCP pool over the server, migrated by Flyway at open (scripts in
 * {@code db/migration/postgresql}, the twins of the SQLite ones); the repositories are the shared
 * {@link JdbiStorage}. Transactions run at PostgreSQL's default isolation (read committed); what must not
 * happen twice is guarded by unique indexes (e.g. one message per chat and external id). Thread-safe.
 *
 * <p>Cluster mode ({@link #openCluster}) names the instance on every pooled connection
 * ({@code engram.instance}), so the change feed's triggers record which instance wrote each change, and hands
 * out the feed's reader.
 */
public final class PostgresStorage {
    static final String MIGRATIONS = "classpath:db/migration/postgresql";
    /** What an instance name may be (as {@code [cluster] instance_id}): safe inside a SQL literal. */
    private static final java.util.regex.Pattern INSTANCE = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private PostgresStorage() {
    }

    /**
     * The storage of one cluster instance and its reader of the change feed (same pool; closing the storage
     * closes both).
     */
    public record Cluster(Storage storage, ChangeFeedRepository changes) {
        public Cluster {
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(changes, "changes");
        }
    }

    /**
     * Connects, migrates and returns the storage.
     *
     * @param url      a {@code jdbc:postgresql://host:port/database} URL
     * @param user     the role to connect as, or {@code null} for the driver's default
     * @param password its password, or {@code null}
     * @param poolSize most connections held at once (&gt;= 1)
     */
    public static Storage open(String url, String user, String password, int poolSize) {
        HikariDataSource pool = pool(url, user, password, poolSize, null);
        return JdbiStorage.over(Jdbi.create(pool), pool, "postgresql:" + redact(url));
    }

    /**
     * {@link #open} for an instance of a cluster: every connection runs {@code SET engram.instance = '<id>'}, so the
     * change feed records this instance as the origin of what it writes (and its follower skips its own changes).
     * Turns the feed's triggers on for the database (they log nothing until an instance opens it this way; they
     * stay on afterwards, also for writers that open it with {@link #open}).
     *
     * @param instanceId this instance's name ({@code [A-Za-z0-9._:-]{1,64}})
     */
    public static Cluster openCluster(String url, String user, String password, int poolSize, String instanceId) {
        if (instanceId == null || !INSTANCE.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("instance id must be 1..64 characters of [A-Za-z0-9._:-], was " + instanceId);
        }
        HikariDataSource pool = pool(url, user, password, poolSize, instanceId);
        Jdbi jdbi = Jdbi.create(pool);
        try {
            // from now on the triggers log every change (a single instance never turns this on)
            jdbi.useHandle(h -> h.execute("UPDATE change_log_horizon SET enabled = 1 WHERE id = 1 AND enabled = 0"));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Cluster(JdbiStorage.over(jdbi, pool, "postgresql:" + redact(url) + " (instance " + instanceId + ")"),
                new PostgresChangeFeed(jdbi, url, user, password));
    }

    private static HikariDataSource pool(String url, String user, String password, int poolSize, String instanceId) {
        if (!url.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (user != null) hikari.setUsername(user);
        if (password != null) hikari.setPassword(password);
        hikari.setPoolName(instanceId == null ? "engram-postgres" : "engram-postgres-" + instanceId);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(2, poolSize));
        hikari.setConnectionTimeout(30_000);
        if (instanceId != null) hikari.setConnectionInitSql("SET engram.instance = '" + instanceId + "'");
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /** The URL without its query (which may carry a password). */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
