package dev.engram.app;

import java.util.function.Function;

import dev.engram.config.StorageConfig;
import dev.engram.store.Storage;
import dev.engram.store.postgres.PostgresStorage;
import dev.engram.store.sqlite.SqliteStorage;

/** Opens the configured storage backend: PostgreSQL when {@code [storage] url} is set, else SQLite in {@code data_dir}. */
final class Storages {
    private Storages() {
    }

    /** @param env reads an environment variable (the PostgreSQL user and password are named in config, never stored) */
    static Storage open(StorageConfig config, Function<String, String> env) {
        if (config.postgres()) {
            return PostgresStorage.open(config.url().orElseThrow(), env.apply(config.userEnv()),
                    env.apply(config.passwordEnv()), config.poolSize());
        }
        return SqliteStorage.open(config.dataDir(), config.busyTimeoutMs());
    }
}
