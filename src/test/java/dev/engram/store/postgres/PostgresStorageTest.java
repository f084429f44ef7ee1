package dev.engram.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.engram.store.Storage;
import dev.engram.store.StorageContract;

/** The storage contract on a real PostgreSQL server, plus its migration history. */
class PostgresStorageTest extends StorageContract {
    private TestPostgres pg;

    @Override
    protected Storage open() {
        if (pg == null) pg = TestPostgres.create();
        return pg.open();
    }

    @AfterEach
    void dropDatabase() {
        if (pg != null) pg.close();
    }

    @Test
    void every_dialect_migration_is_applied() throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) versions.add(rs.getString(1));
        }
        assertThat(versions).containsExactly("1", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        assertThat(storage.describe()).startsWith("postgresql:jdbc:postgresql://").doesNotContain("password");
    }
}
