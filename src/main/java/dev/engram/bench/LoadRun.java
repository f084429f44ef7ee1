package dev.engram.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.config.EngramConfig;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

/**
 * One mode of the load benchmark: a fresh Engram (seeded with two days of history so the build has
 * something to sample) driven by {@code users} virtual-thread clients over HTTP, with a memory build
 * triggered part-way through. Used from one thread; the clients are its own.
 */
final class LoadRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(String mode, List<LoadSample> samples, double buildStartMs, double buildEndMs, String buildState,
                  double singleMs, double tenConcurrentMs, double elapsedS) {
    }

    private final LoadBenchOptions o;
    private final List<String> texts;
    private final URI llm;
    private final ServerLauncher launcher;

    LoadRun(LoadBenchOptions o, List<String> texts, URI llm, ServerLauncher launcher) {
        this.o = o;
        this.texts = texts;
        this.llm = llm;
        this.launcher = launcher;
    }

    Result run(String mode, Path dir, Runnable tick) throws Exception {
        seedHistory(dir.resolve("data"));
        EngramConfig cfg = EngramConfig.parse(config(mode, dir), dir.resolve("config.toml"));
        try (ServerLauncher.Running engram = launcher.start(cfg);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            URI base = URI.create("http://127.0.0.1:" + engram.port());
            double single = post(http, base, "bench-single", "你还记得我们昨天聊的内容吗？").replyMs();
            double ten = tenConcurrent(http, base);

            List<LoadSample> samples = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            long t0 = System.nanoTime() + o.warmup().toNanos();
            try (ExecutorService users = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int u = 0; u < o.users(); u++) {
                    int user = u;
                    users.submit(() -> user(http, base, user, t0, stop, samples));
                }
                long end = t0 + o.duration().toNanos();
                long buildAt = t0 + (long) (o.duration().toNanos() * o.buildAt());
                while (System.nanoTime() < buildAt) tickSleep(tick);
                double buildStart = ms(t0);
                String taskId = JSON.readTree(send(http, HttpRequest.newBuilder(base.resolve("/api/memory/build"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build()).body()).path("task_id").asText();
                double buildEnd = -1;
                String state = "QUEUED";
                while (System.nanoTime() < end) {
                    tickSleep(tick);
                    if (buildEnd < 0) {
                        state = JSON.readTree(send(http, HttpRequest.newBuilder(base.resolve("/api/tasks/" + taskId))
                                .GET().build()).body()).path("state").asText();
                        if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("DEAD")) buildEnd = ms(t0);
                    }
                }
                stop.set(true);
                users.shutdown();
                users.awaitTermination(3, java.util.concurrent.TimeUnit.MINUTES);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                return new Result(mode, List.copyOf(samples), buildStart, buildEnd < 0 ? ms(t0) : buildEnd, state,
                        single, ten, elapsed);
            }
        }
    }

    private void user(HttpClient http, URI base, int user, long t0, AtomicBoolean stop, List<LoadSample> samples) {
        SplittableRandom random = new SplittableRandom(user);
        String chat = "bench-" + (user % o.chats());
        while (!stop.get()) {
            double at = ms(t0);
            LoadSample s = post(http, base, chat, texts.get(random.nextInt(texts.size())), at);
            if (at >= 0) samples.add(s); // sent in the measured window: counted even if it ends after it
            long thinkMs = (long) (o.think().toMillis() * (0.5 + random.nextDouble()));
            try {
                Thread.sleep(thinkMs); // a user's think time: the load model, not a test wait
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private LoadSample post(HttpClient http, URI base, String chat, String text) {
        return post(http, base, chat, text, 0);
    }

    private LoadSample post(HttpClient http, URI base, String chat, String text, double at) {
        long start = System.nanoTime();
        try {
            String body = JSON.writeValueAsString(java.util.Map.of("message", text, "chat_id", chat));
            HttpResponse<String> r = send(http, HttpRequest.newBuilder(base.resolve("/api/message"))
                    .timeout(Duration.ofMinutes(3)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
            double replyMs = (System.nanoTime() - start) / 1e6;
            if (r.statusCode() != 200) return new LoadSample(at, replyMs, -1, false);
            JsonNode json = JSON.readTree(r.body());
            return new LoadSample(at, replyMs, json.path("timings_ms").path("memory").asDouble(), true);
        } catch (Exception e) {
            return new LoadSample(at, (System.nanoTime() - start) / 1e6, -1, false);
        }
    }

    private double tenConcurrent(HttpClient http, URI base) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                int n = i;
                pool.submit(() -> post(http, base, "bench-ten", "测试消息 " + n));
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void tickSleep(Runnable tick) throws InterruptedException {
        Thread.sleep(200); // the driver's own pacing loop
        tick.run();
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Two days of history in the bench chats, so the build's time sampling finds snippets. */
    private void seedHistory(Path dataDir) {
        try (Storage storage = SqliteStorage.open(dataDir, 5_000)) {
            Instant now = Instant.now();
            int n = Math.min(texts.size(), 2_000);
            for (int i = 0; i < n; i++) {
                Instant at = now.minus(Duration.ofMinutes(48L * 60 * (n - i) / n));
                storage.messages().append(NewMessage.user("bench-" + (i % o.chats()), "u" + (i % 7), "用户" + (i % 7),
                        texts.get(i), at));
            }
        }
    }

    private String config(String mode, Path dir) {
        return """
                [server]
                port = 0
                max_body_bytes = 1048576
                [storage]
                data_dir = "%s"
                [llm]
                provider = "openai"
                base_url = "%s"
                max_concurrent_calls = 1024
                request_timeout_ms = 120000
                [llm.models]
                reply = "bench-reply"
                utils = "bench-memory"
                utils_small = "bench-memory"
                [chat]
                memory_mode = "%s"
                reply_timeout_ms = 300000
                [memory]
                memory_build_interval = 31536000
                forget_memory_interval = 31536000
                consolidate_memory_interval = 31536000
                [tasks]
                drain_deadline_ms = 500
                """.formatted(dir.resolve("data").toString().replace("\\", "/"), llm, mode);
    }
}
