package dev.engram.app;

import java.util.Optional;
import java.util.function.Function;

import dev.engram.config.ClusterConfig;
import dev.engram.config.StorageConfig;
import dev.engram.store.ChangeFeedRepository;
import dev.engram.store.Storage;
import dev.engram.store.postgres.PostgresStorage;
import dev.engram.store.sqlite.SqliteStorage;

/**
 * Opens the configured storage backend: PostgreSQL when {@code [storage] url} is set (with the change feed when
 * {@code [cluster] enabled}), else SQLite in {@code data_dir}.
 */
final class Storages {
    /** The storage, and the cluster's change feed when this instance is part of one. */
    record Opened(Storage storage, Optional<ChangeFeedRepository> changes) {
    }

    private Storages() {
    }

    /** @param env reads an environment variable (the PostgreSQL user and password are named in config, never stored) */
    static Opened open(StorageConfig config, ClusterConfig cluster, Function<String, String> env) {
        if (config.postgres()) {
            String url = config.url().orElseThrow();
            String user = env.apply(config.userEnv());
            String password = env.apply(config.passwordEnv());
            if (cluster.enabled()) {
                PostgresStorage.Cluster c = PostgresStorage.openCluster(url, user, password, config.poolSize(),
                        cluster.resolvedInstanceId());
                return new Opened(c.storage(), Optional.of(c.changes()));
            }
            return new Opened(PostgresStorage.open(url, user, password, config.poolSize()), Optional.empty());
        }
        return new Opened(SqliteStorage.open(config.dataDir(), config.busyTimeoutMs()), Optional.empty());
    }
}
