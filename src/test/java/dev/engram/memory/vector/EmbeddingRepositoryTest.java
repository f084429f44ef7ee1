package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.store.EmbeddingRepository;
import dev.engram.store.EmbeddingRepository.Embedding;
import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

/** The embeddings table (V4) through the real SQLite storage. */
class EmbeddingRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void vectors_round_trip_bit_exactly_per_kind_and_model() {
        try (Storage storage = SqliteStorage.open(dir, 5_000)) {
            EmbeddingRepository repo = storage.embeddings();
            float[] v = {0.5f, -0.25f, Float.MIN_VALUE, 1e-7f};
            repo.saveAll(List.of(
                    new Embedding(Kind.MESSAGE, 1, "c1", "m1", v, T0),
                    new Embedding(Kind.MEMORY, 1, "c1", "m1", new float[] {1, 0, 0, 0}, T0),
                    new Embedding(Kind.MESSAGE, 1, "c1", "m2", new float[] {0, 1}, T0)));

            Map<Long, float[]> found = repo.find(Kind.MESSAGE, List.of(1L, 2L), "m1");

            assertThat(found).containsOnlyKeys(1L);
            assertThat(found.get(1L)).containsExactly(v);
            assertThat(repo.find(Kind.MEMORY, List.of(1L), "m1").get(1L)).containsExactly(1, 0, 0, 0);
            assertThat(repo.find(Kind.MESSAGE, List.of(1L), "m2").get(1L)).containsExactly(0, 1);
            assertThat(repo.count("m1")).isEqualTo(2);
        }
    }

    @Test
    void saving_again_replaces_the_row_and_old_rows_are_deleted_by_kind_and_age() {
        try (Storage storage = SqliteStorage.open(dir, 5_000)) {
            EmbeddingRepository repo = storage.embeddings();
            repo.saveAll(List.of(new Embedding(Kind.MESSAGE, 1, "c1", "m", new float[] {1, 0}, T0.minusSeconds(100)),
                    new Embedding(Kind.MESSAGE, 2, "c1", "m", new float[] {1, 0}, T0),
                    new Embedding(Kind.MEMORY, 3, "c1", "m", new float[] {1, 0}, T0.minusSeconds(100))));
            repo.saveAll(List.of(new Embedding(Kind.MESSAGE, 2, "c1", "m", new float[] {0, 1}, T0)));

            assertThat(repo.find(Kind.MESSAGE, List.of(2L), "m").get(2L)).containsExactly(0, 1);
            assertThat(repo.deleteCreatedBefore(Kind.MESSAGE, T0)).isEqualTo(1);
            assertThat(repo.find(Kind.MESSAGE, List.of(1L, 2L), "m")).containsOnlyKeys(2L);
            assertThat(repo.find(Kind.MEMORY, List.of(3L), "m")).containsOnlyKeys(3L);
        }
    }

    @Test
    void many_rows_are_saved_in_chunks() {
        try (Storage storage = SqliteStorage.open(dir, 5_000)) {
            List<Embedding> rows = new ArrayList<>();
            for (int i = 0; i < 250; i++) rows.add(new Embedding(Kind.MEMORY, i, "c1", "m", new float[] {i, 1}, T0));
            storage.embeddings().saveAll(rows);

            assertThat(storage.embeddings().count("m")).isEqualTo(250);
            assertThat(storage.embeddings().find(Kind.MEMORY, List.of(249L), "m").get(249L)).containsExactly(249, 1);
        }
    }

    @Test
    void saves_join_an_open_transaction() {
        try (Storage storage = SqliteStorage.open(dir, 5_000)) {
            try {
                storage.inTransaction(tx -> {
                    tx.embeddings().saveAll(List.of(new Embedding(Kind.MESSAGE, 9, "c1", "m", new float[] {1}, T0)));
                    throw new IllegalStateException("roll back");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            assertThat(storage.embeddings().count("m")).isZero();
        }
    }
}
