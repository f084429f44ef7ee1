package dev.engram.llm;

import dev.engram.common.Failures;
import dev.engram.common.NonRetriableException;
import dev.engram.common.RetriableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void retriable_types_are_retriable_even_when_wrapped() {
        assertThat(Failures.isRetriable(new RetriableException("x"))).isTrue();
        assertThat(Failures.isRetriable(new TimeoutException("x"))).isTrue();
        assertThat(Failures.isRetriable(new ConnectException("x"))).isTrue();
        assertThat(Failures.isRetriable(new CompletionException(new ExecutionException(new IOException("x")))))
                .isTrue();
        assertThat(Failures.isRetriable(new LlmServerException("llm.reply", "m", 503, "busy"))).isTrue();
    }

    @Test
    void transient_database_failures_are_retriable_through_wrappers() {
        assertThat(Failures.isRetriable(new IllegalStateException("tx", new java.sql.SQLException("x", "40001"))))
                .as("serialization failure").isTrue();
        assertThat(Failures.isRetriable(new RuntimeException(new java.sql.SQLException("x", "08006")))).isTrue();
        assertThat(Failures.isRetriable(new RuntimeException(new java.sql.SQLTransientConnectionException("pool"))))
                .isTrue();
        assertThat(Failures.isRetriable(new RuntimeException(new java.sql.SQLException(
                "[SQLITE_BUSY] The database file is locked (database is locked)")))).isTrue();
        assertThat(Failures.isRetriable(new RuntimeException(new java.sql.SQLException("syntax", "42601"))))
                .as("a bad statement is permanent").isFalse();
        assertThat(Failures.isRetriable(new RuntimeException(new java.sql.SQLException(
                "[SQLITE_CONSTRAINT_UNIQUE] UNIQUE constraint failed")))).isFalse();
    }

    @Test
    void other_failures_are_not_retriable() {
        assertThat(Failures.isRetriable(new NonRetriableException("x"))).isFalse();
        assertThat(Failures.isRetriable(new IllegalStateException("x"))).isFalse();
        LlmClientErrorException auth = new LlmClientErrorException("op", "m", 401, "no", null);
        assertThat(Failures.isRetriable(new CompletionException(auth))).isFalse();
        assertThat(Failures.isRetriable(null)).isFalse();
    }

    @Test
    void unwrap_strips_nested_async_wrappers_only() {
        IOException root = new IOException("root");
        assertThat(Failures.unwrap(new CompletionException(new ExecutionException(root)))).isSameAs(root);
        RuntimeException plain = new RuntimeException(root);
        assertThat(Failures.unwrap(plain)).isSameAs(plain);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(Failures.unwrap(empty)).isSameAs(empty);
    }
}
