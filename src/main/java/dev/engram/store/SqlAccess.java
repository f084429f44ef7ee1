package dev.engram.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/** Runs a statement either on a pooled handle of its own or on the handle of an open transaction. */
@FunctionalInterface
interface SqlAccess {
    <T> T call(HandleCallback<T, RuntimeException> callback);

    static SqlAccess pooled(Jdbi jdbi) {
        return new SqlAccess() {
            @Override
            public <T> T call(HandleCallback<T, RuntimeException> callback) {
                return jdbi.withHandle(callback);
            }
        };
    }

    static SqlAccess bound(Handle handle) {
        return new SqlAccess() {
            @Override
            public <T> T call(HandleCallback<T, RuntimeException> callback) {
                return callback.withHandle(handle);
            }
        };
    }
}
