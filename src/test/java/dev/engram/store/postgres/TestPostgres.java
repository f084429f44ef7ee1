package dev.engram.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty schema (a database of its own, as far as Engram can tell) on the real PostgreSQL server named by {@code ENGRAM_TEST_PG_URL} (with
 * {@code ENGRAM_TEST_PG_USER} / {@code ENGRAM_TEST_PG_PASSWORD}; {@code bin/test-postgres.sh}, sourced by
 * {@code .ci/run}, installs and starts one). Dropped again by {@link #close()}. Without a server the test is
 * skipped on a developer machine, and fails under CI ({@code CI} or {@code ENGRAM_REQUIRE_POSTGRES} set, as
 * {@code .ci/run} does), where the server must be there.
 */
public final class TestPostgres implements AutoCloseable {
    private final String adminUrl;
    private final String user;
    private final String password;
    private final String schema;

    private TestPostgres(String adminUrl, String user, String password, String schema) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** Creates a schema of its own on the test server (much faster than a database per test). */
    public static TestPostgres create() {
        String url = System.getenv("ENGRAM_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if (System.getenv("CI") != null || System.getenv("ENGRAM_REQUIRE_POSTGRES") != null) {
                throw new IllegalStateException("CI run without PostgreSQL: .ci/run must source bin/test-postgres.sh");
            }
            Assumptions.abort("no PostgreSQL for tests: `. bin/test-postgres.sh` first (sets ENGRAM_TEST_PG_URL)");
        }
        TestPostgres pg = new TestPostgres(url, System.getenv("ENGRAM_TEST_PG_USER"),
                System.getenv("ENGRAM_TEST_PG_PASSWORD"), "engram_test_" + UUID.randomUUID().toString().replace("-", ""));
        pg.admin("CREATE SCHEMA " + pg.schema);
        return pg;
    }

    /** JDBC URL whose connections work in this test's schema. */
    public String url() {
        return adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Opens the storage over this database (migrating it on first open). */
    public dev.engram.store.Storage open() {
        return PostgresStorage.open(url(), user, password, 8);
    }

    @Override
    public void close() {
        admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL admin statement failed: " + sql, e);
        }
    }
}
