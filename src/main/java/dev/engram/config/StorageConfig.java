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
    static StorageConfig read(Section s, Path baseDir) {
        String dir = s.string("data_dir", "data", d -> !d.isBlank(), "must not be blank");
        int busy = s.intValue("busy_timeout_ms", 5_000, 100, 600_000);
        s.finish();
        return new StorageConfig(baseDir.resolve(dir).normalize(), busy);
    }
}
