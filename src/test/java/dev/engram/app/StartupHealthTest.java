package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.memory.vector.Embedder;

/**
 * The port opens before the memory side has loaded: {@code /health} answers 200 {@code starting}, a message is
 * acknowledged durably and answered without memories, the memory routes answer 503 with {@code Retry-After};
 * once loaded the state turns {@code ok} and the message sent meanwhile is recallable. A stop during the load
 * waits for it and loses nothing. The load is held where the composition root hands the model to the index,
 * by a latch.
 */
@Timeout(180)
class StartupHealthTest {
    private static final String SECRET = "启动期间的暗号是蓝色鲸鱼";

    @TempDir
    Path dir;

    @Test
    void the_port_answers_starting_while_the_memory_side_loads_and_takes_messages_durably() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = TestServer.launch(dir, holding(held, release))) {
            assertThat(held.await(60, TimeUnit.SECONDS)).as("the memory load reached the model hand-over").isTrue();

            TestServer.Response health = server.get("/health");
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("starting");
            assertThat(health.json().path("memory").asText()).isEqualTo("loading");
            assertThat(server.get("/api/status").json().path("status").asText()).isEqualTo("starting");

            TestServer.Response reply = server.post("/api/message",
                    "{\"chat_id\": \"early\", \"user_id\": \"u1\", \"message\": \"记住：" + SECRET + "\"}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().path("memory_status").asText()).isEqualTo("skipped");
            assertThat(reply.json().path("memories").size()).isZero();

            TestServer.Response store = server.post("/api/memory", "{\"chat_id\": \"early\", \"content\": \"记住：我住在杭州\"}");
            assertThat(store.status()).as(store.body()).isEqualTo(503);
            assertThat(store.json().path("error").asText()).isEqualTo("starting");

            release.countDown();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> server.get("/health").json().path("status").asText().equals("ok"));
            server.awaitIngestIdle();
            assertThat(server.post("/api/memory", "{\"chat_id\": \"early\", \"content\": \"记住：我住在杭州\"}").status())
                    .isEqualTo(202);
            JsonNode found = server.get("/api/memory/search?chat_id=early&k=10&timeout_ms=20000&q=" + encode("暗号是什么")).json();
            assertThat(found.toString()).as("the message sent while starting was memorised").contains("蓝色鲸鱼");
        }
    }

    @Test
    void a_stop_during_the_load_waits_for_it_and_the_next_start_memorises_what_was_acknowledged() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestServer server = TestServer.launch(dir, holding(held, release));
        assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.post("/api/message",
                "{\"chat_id\": \"early\", \"user_id\": \"u1\", \"message\": \"记住：" + SECRET + "\"}").status()).isEqualTo(200);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> server.engram.memory().phase() == MemoryModule.Phase.LOADING && !closed.isDone()
                        && portClosed(server));
        assertThat(closed).as("the stop waits for the load it cannot interrupt").isNotDone();
        release.countDown();
        closed.get(90, TimeUnit.SECONDS);
        assertThat(server.engram.memory().phase()).isEqualTo(MemoryModule.Phase.STOPPED);

        try (TestServer again = TestServer.start(dir)) {
            again.awaitIngestIdle();
            JsonNode found = again.get("/api/memory/search?chat_id=early&k=10&timeout_ms=20000&q=" + encode("暗号是什么")).json();
            assertThat(found.toString()).as("acknowledged while starting, memorised after the restart").contains("蓝色鲸鱼");
        }
    }

    /** The real model, handed over only once {@code release} opens (the load holds there). */
    private static UnaryOperator<Embedder> holding(CountDownLatch held, CountDownLatch release) {
        return model -> {
            held.countDown();
            try {
                if (!release.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return model;
        };
    }

    private static boolean portClosed(TestServer server) {
        try {
            server.get("/health");
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
