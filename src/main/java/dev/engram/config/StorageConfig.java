package dev.engram.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code [storage]}: where Engram keeps its data.
 *
 * @param dataDir       directory of the SQLite database (when no {@code url} is set) and of the derived
 *                      indexes; relative paths are resolved against the directory of the config file
 * @param busyTimeoutMs how long a SQLite statement waits for a lock before failing
 * @param url           a {@code jdbc:postgresql://host[:port]/database} URL to keep the data in PostgreSQL
 *                      instead of SQLite; empty for the embedded SQLite default
 * @param userEnv       name of the environment variable holding the PostgreSQL user (never the value itself)
 * @param passwordEnv   name of the environment variable holding the PostgreSQL password
 * @param poolSize      most PostgreSQL connections held at once
 */
public record StorageConfig(Path dataDir, int busyTimeoutMs, Optional<String> url, String userEnv, String passwordEnv,
                            int poolSize) {
    /** Default {@code data_dir}, relative to the directory of the config file. */
    public static final String DEFAULT_DATA_DIR = "data";
    /** Default {@code busy_timeout_ms}. */
    public static final int DEFAULT_BUSY_TIMEOUT_MS = 5_000;
    /** Default {@code user_env}. */
    public static final String DEFAULT_USER_ENV = "ENGRAM_DB_USER";
    /** Default {@code password_env}. */
    public static final String DEFAULT_PASSWORD_ENV = "ENGRAM_DB_PASSWORD";
    /** Default {@code pool_size}. */
    public static final int DEFAULT_POOL_SIZE = 16;

    /** SQLite in {@code dataDir}, with the other keys at their defaults. */
    public StorageConfig(Path dataDir, int busyTimeoutMs) {
        this(dataDir, busyTimeoutMs, Optional.empty(), DEFAULT_USER_ENV, DEFAULT_PASSWORD_ENV, DEFAULT_POOL_SIZE);
    }

    /** The built-in defaults of {@code [storage]} for a config file in {@code baseDir}. */
    public static StorageConfig defaults(Path baseDir) {
        return new StorageConfig(baseDir.resolve(DEFAULT_DATA_DIR).normalize(), DEFAULT_BUSY_TIMEOUT_MS);
    }

    /** Whether the data lives in PostgreSQL ({@code url} set) rather than the embedded SQLite file. */
    public boolean postgres() {
        return url.isPresent();
    }

    static StorageConfig read(Section s, Path baseDir) {
        String dir = s.string("data_dir", DEFAULT_DATA_DIR, d -> !d.isBlank(), "must not be blank");
        int busy = s.intValue("busy_timeout_ms", DEFAULT_BUSY_TIMEOUT_MS, 100, 600_000);
        String url = s.string("url", "", u -> u.isEmpty() || u.matches("jdbc:postgresql://[^/?]+/[^/?]+(\\?.*)?"),
                "must be empty (SQLite in data_dir) or jdbc:postgresql://host[:port]/database");
        String user = s.string("user_env", DEFAULT_USER_ENV, e -> e.matches("[A-Za-z_][A-Za-z0-9_]*"),
                "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        String password = s.string("password_env", DEFAULT_PASSWORD_ENV, e -> e.matches("[A-Za-z_][A-Za-z0-9_]*"),
                "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        int pool = s.intValue("pool_size", DEFAULT_POOL_SIZE, 1, 1_024);
        s.finish();
        return new StorageConfig(baseDir.resolve(dir).normalize(), busy, url.isEmpty() ? Optional.empty() : Optional.of(url),
                user, password, pool);
    }
}
