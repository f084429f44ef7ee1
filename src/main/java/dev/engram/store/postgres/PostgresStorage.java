package dev.engram.store.postgres;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.engram.store.JdbiStorage;
import dev.engram.store.Storage;

/**
 * PostgreSQL storage: a bounded HikariCP pool over the server, migrated by Flyway at open (scripts in
 * {@code db/migration/postgresql}, the twins of the SQLite ones); the repositories are the shared
 * {@link JdbiStorage}. Transactions run at PostgreSQL's default isolation (read committed); what must not
 * happen twice is guarded by unique indexes (e.g. one message per chat and external id). Thread-safe.
 */
public final class PostgresStorage {
    static final String MIGRATIONS = "classpath:db/migration/postgresql";

    private PostgresStorage() {
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
        if (!url.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (user != null) hikari.setUsername(user);
        if (password != null) hikari.setPassword(password);
        hikari.setPoolName("engram-postgres");
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(2, poolSize));
        hikari.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return JdbiStorage.over(Jdbi.create(pool), pool, "postgresql:" + redact(url));
    }

    /** The URL without its query (which may carry a password). */
    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
