package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.memory.vector.Embedder;
import dev.engram.model.NewMessage;
import dev.engram.store.Storage;
import dev.engram.store.sqlite.SqliteStorage;

/**
 * The index loads in the background, from persisted embeddings: with a backlog the index never saw (as after a crash), {@code /health}
 * answers at once with {@code catching_up} and progress, the API takes work meanwhile, and the state turns
 * {@code ok} once the backlog is searchable. The catch-up is held at its first model call by a latch.
 */
@Timeout(180)
class CatchUpHealthTest {
    private static final String MARK = "积压标记";
    private static final int BACKLOG = 6;

    @TempDir
    Path dir;

    @Test
    void health_answers_catching_up_while_the_index_catches_up_then_ok() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            first.awaitIngestIdle(); // creates the database and the index
        }
        try (Storage storage = SqliteStorage.open(dir.resolve("data"), 5_000)) {
            for (int i = 0; i < BACKLOG; i++) {
                storage.messages().append(NewMessage.user("backlog", "u1", "小明", MARK + " 第" + i + "条：我喜欢打羽毛球",
                        Instant.now()));
            }
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        try (TestServer server = TestServer.start(dir, model -> new HeldEmbedder(model, held, release))) {
            assertThat(held.await(60, TimeUnit.SECONDS)).as("the catch-up reached the model").isTrue();

            TestServer.Response health = server.get("/health");
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("catching_up");
            assertThat(health.json().path("index").path("state").asText()).isEqualTo("catching_up");
            JsonNode status = server.get("/api/status").json();
            assertThat(status.path("status").asText()).isEqualTo("catching_up");
            assertThat(status.path("index_catch_up").path("state").asText()).isEqualTo("catching_up");
            assertThat(status.path("index_catch_up").path("messages_indexed").asLong()).isZero();
            assertThat(status.path("store_pipeline").has("visibility_lag_s")).isTrue();
            assertThat(server.post("/api/memory", "{\"chat_id\": \"live\", \"content\": \"记住：我住在杭州\"}").status())
                    .as("the server is usable while catching up").isEqualTo(202);

            release.countDown();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> server.get("/health").json().path("status").asText().equals("ok"));
            JsonNode done = server.get("/api/status").json();
            assertThat(done.path("status").asText()).isEqualTo("ok");
            assertThat(done.path("index_catch_up").path("state").asText()).isEqualTo("done");
            assertThat(done.path("index_catch_up").path("messages_indexed").asLong()).isEqualTo(BACKLOG);
            assertThat(server.get("/health").json().has("index")).isFalse();
        }
    }

    @Test
    void a_rebuild_at_restart_reuses_the_persisted_embeddings() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            for (int i = 0; i < 4; i++) {
                assertThat(first.post("/api/memory", "{\"chat_id\": \"c\", \"content\": \"" + MARK + i
                        + " 记住：我每周三去游泳\"}").status()).isEqualTo(202);
            }
            first.awaitIngestIdle();
        }
        deleteRecursively(dir.resolve("data").resolve("index")); // lost or corrupt: rebuilt from the database
        AtomicInteger documentTexts = new AtomicInteger();
        try (TestServer server = TestServer.start(dir, model -> new CountingEmbedder(model, documentTexts))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> server.get("/health").json().path("status").asText().equals("ok"));
            JsonNode catchUp = server.get("/api/status").json().path("index_catch_up");
            assertThat(catchUp.path("reason").asText()).isEqualTo("missing");
            assertThat(catchUp.path("embeddings_computed").asLong()).isZero();
            assertThat(catchUp.path("embeddings_reused").asLong()).isPositive();
            assertThat(documentTexts.get()).as("model calls on stored text").isZero();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** A wrapper around the real model that keeps its identity (dimensions, model id). */
    private interface Wrapping extends Embedder {
        Embedder model();

        @Override
        default int dimensions() {
            return model().dimensions();
        }

        @Override
        default String modelId() {
            return model().modelId();
        }
    }

    /** The real model, counting the texts it embeds that carry {@link #MARK}. */
    private record CountingEmbedder(Embedder model, AtomicInteger marked) implements Wrapping {
        @Override
        public float[] embed(String text) {
            if (text.contains(MARK)) marked.incrementAndGet();
            return model.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            marked.addAndGet((int) texts.stream().filter(t -> t.contains(MARK)).count());
            return model.embedAll(texts);
        }
    }

    /** The real model, except that a call embedding backlog text waits for {@code release}. */
    private record HeldEmbedder(Embedder model, CountDownLatch held, CountDownLatch release) implements Wrapping {
        @Override
        public float[] embed(String text) {
            hold(List.of(text));
            return model.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            hold(texts);
            return model.embedAll(texts);
        }

        private void hold(List<String> texts) {
            if (texts.stream().noneMatch(t -> t.contains(MARK))) return;
            held.countDown();
            try {
                if (!release.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
