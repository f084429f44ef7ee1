package dev.engram.config;

import java.nio.file.Path;

/**
 * {@code [storage]}: where Engram keeps its data.
 *
 * @param dataDir       directory of the SQLite database and the derived indexes; relative paths are
 *                      resolved against the directory of the config file
 * @param busyTimeoutMs how long a database statement waits for a lock before failing
 */
public record StorageConfig(Path dataDir, int busyTimeoutMs) {
    /** Default {@code data_dir}, relative to the directory of the config file. */
    public static final String DEFAULT_DATA_DIR = "data";
    /** Default {@code busy_timeout_ms}. */
    public static final int DEFAULT_BUSY_TIMEOUT_MS = 5_000;

    /** The built-in defaults of {@code [storage]} for a config file in {@code baseDir}. */
    public static StorageConfig defaults(Path baseDir) {
        return new StorageConfig(baseDir.resolve(DEFAULT_DATA_DIR).normalize(), DEFAULT_BUSY_TIMEOUT_MS);
    }

    static StorageConfig read(Section s, Path baseDir) {
        String dir = s.string("data_dir", DEFAULT_DATA_DIR, d -> !d.isBlank(), "must not be blank");
        int busy = s.intValue("busy_timeout_ms", DEFAULT_BUSY_TIMEOUT_MS, 100, 600_000);
        s.finish();
        return new StorageConfig(baseDir.resolve(dir).normalize(), busy);
    }
}
