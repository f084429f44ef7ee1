package dev.engram.bench.store;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.engram.bench.ServerLauncher;
import dev.engram.config.EngramConfig;
import dev.engram.eval.LocomoLoader;
import dev.engram.eval.LocomoSample;

/**
 * {@code engram bench store}: the sustained capacity of the whole store pipeline on this machine — intake,
 * outbox, store task (echo filter, fact extraction, embeddings, index, graph) until the message is searchable.
 * One server (offline provider, a fresh data directory) gets {@code messages} user turns over HTTP from
 * {@code clients} clients as fast as it acknowledges them; {@code /api/status} is sampled every
 * {@value #SAMPLE_MS} ms (indexed messages, live outbox rows, visibility lag) until the outbox is empty. The
 * intake phase shows what the pipeline keeps up with while replies compete for the CPU; the drain phase, after
 * the last acknowledgement, the pipeline alone. Run it on an otherwise idle machine.
 */
public final class StoreBench {
    static final int SAMPLE_MS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreBench() {
    }

    /** One sample of {@code /api/status}. */
    record Sample(long atNanos, long indexedMessages, long memories, long outboxLive, double lagSeconds) {
    }

    /**
     * Config lines that turn the store pipeline's batching off: each outbox write commits alone, each index write
     * refreshes the searcher alone, and the index commits durably every second instead of every minute.
     */
    public static final String UNBATCHED = """
            [tasks]
            outbox_batch_size = 1
            [embedding]
            index_refresh_ms = 0
            index_commit_s = 1
            """;

    /**
     * Runs the bench on a server started by {@code launcher} (and, with {@link StoreBenchOptions#compareUnbatched},
     * again on a fresh one with batching off); {@code out} gets progress and the table. Returns the batched run.
     */
    public static StoreBenchResult run(StoreBenchOptions o, ServerLauncher launcher, PrintStream out) throws Exception {
        List<String> texts = texts(o);
        StoreBenchResult batched = runOnce(o, texts, launcher, out, "");
        out.println(table(batched));
        StoreBenchResult unbatched = null;
        if (o.compareUnbatched()) {
            out.println("bench store: the same traffic with batching off (" + UNBATCHED.strip().replace("\n", ", ") + ")");
            unbatched = runOnce(o, texts, launcher, out, UNBATCHED);
            out.println(table(unbatched));
            out.printf("batching raised the sustained capacity %.2f× (%.1f vs %.1f messages/s) and the drain rate %.2f×%n",
                    ratio(batched.pipelineRate(), unbatched.pipelineRate()), batched.pipelineRate(), unbatched.pipelineRate(),
                    ratio(batched.drainRate(), unbatched.drainRate()));
        }
        if (o.out() != null) write(o.out(), batched, unbatched);
        return batched;
    }

    private static StoreBenchResult runOnce(StoreBenchOptions o, List<String> texts, ServerLauncher launcher,
                                            PrintStream out, String extraConfig) throws Exception {
        Path dir = Files.createTempDirectory("engram-bench-store-");
        EngramConfig config = EngramConfig.parse("""
                [server]
                port = 0
                [storage]
                data_dir = "%s"
                """.formatted(dir.resolve("data").toString().replace("\\", "/")) + extraConfig, dir.resolve("config.toml"));
        try (ServerLauncher.Running server = launcher.start(config);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong intakeEnd = new AtomicLong();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> sampler = threads.submit(() -> sample(http, base, samples, intakeEnd, o.timeout()));
                long start = System.nanoTime();
                out.printf("bench store: %d messages, %d chats, %d clients%n", o.messages(), o.chats(), o.clients());
                try {
                    send(http, base, o, texts, threads);
                } catch (Exception e) {
                    sampler.cancel(true);
                    throw e;
                }
                intakeEnd.set(System.nanoTime());
                out.printf("acknowledged %d messages in %.1f s; waiting for the store pipeline to drain%n", o.messages(),
                        (intakeEnd.get() - start) / 1e9);
                sampler.get();
                return result(o.messages(), start, intakeEnd.get(), List.copyOf(samples));
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : Double.NaN;
    }

    private static void send(HttpClient http, URI base, StoreBenchOptions o, List<String> texts, ExecutorService threads)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < o.clients(); c++) {
            clients.add(threads.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < o.messages(); ) post(http, base, o, texts, i);
                return null;
            }));
        }
        for (Future<?> f : clients) f.get();
    }

    private static void post(HttpClient http, URI base, StoreBenchOptions o, List<String> texts, int i) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", "bench-store-" + (i % o.chats()));
        body.put("user_id", "u" + (i % 5));
        body.put("user_name", "user" + (i % 5));
        body.put("message", texts.get(i % texts.size()));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/message")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("POST /api/message answered " + r.statusCode() + ": " + r.body());
    }

    /** Samples the status until intake ended and the outbox is empty (or the timeout passed). */
    private static Void sample(HttpClient http, URI base, List<Sample> samples, AtomicLong intakeEnd, Duration timeout)
            throws Exception {
        while (true) {
            Sample s = status(http, base);
            samples.add(s);
            long ended = intakeEnd.get();
            if (ended != 0 && s.outboxLive() == 0 && s.atNanos() > ended) return null;
            if (ended != 0 && s.atNanos() - ended > timeout.toNanos()) return null;
            Thread.sleep(SAMPLE_MS);
        }
    }

    private static Sample status(HttpClient http, URI base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/status")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode s = JSON.readTree(r.body());
        JsonNode memory = s.path("memory");
        JsonNode pipeline = s.path("store_pipeline");
        return new Sample(System.nanoTime(), memory.path("indexed_messages").asLong(), memory.path("indexed_memories").asLong(),
                pipeline.path("outbox_live").asLong(), pipeline.path("visibility_lag_s").asDouble());
    }

    static StoreBenchResult result(int messages, long start, long intakeEnd, List<Sample> samples) {
        Sample last = samples.getLast();
        Sample atIntakeEnd = samples.getFirst();
        for (Sample s : samples) if (s.atNanos() <= intakeEnd) atIntakeEnd = s;
        double intake = seconds(intakeEnd - start);
        double drain = seconds(last.atNanos() - intakeEnd);
        long peak = samples.stream().mapToLong(Sample::outboxLive).max().orElse(0);
        double lag = samples.stream().mapToDouble(Sample::lagSeconds).max().orElse(0);
        return new StoreBenchResult(messages, intake, messages / intake, atIntakeEnd.indexedMessages() / intake, drain,
                drain > 0 ? (last.indexedMessages() - atIntakeEnd.indexedMessages()) / drain : 0,
                last.indexedMessages() / seconds(last.atNanos() - start), last.indexedMessages(), last.memories(), peak, lag,
                last.outboxLive() == 0);
    }

    static String table(StoreBenchResult r) {
        return String.join(System.lineSeparator(),
                "store pipeline (messages/s; one message = a user turn, its reply stored as well)",
                String.format("  intake     %6.1f s   acknowledged %7.1f/s   stored meanwhile %7.1f/s", r.intakeSeconds(),
                        r.acknowledgedRate(), r.intakeStoredRate()),
                String.format("  drain      %6.1f s   stored %7.1f/s (the pipeline alone)", r.drainSeconds(), r.drainRate()),
                String.format("  sustained  %7.1f messages/s from first send to last stored%s", r.pipelineRate(),
                        r.drained() ? "" : "  (NOT drained before the timeout)"),
                String.format("  indexed %d messages, %d memories; outbox peak %d rows; visibility lag peak %.1f s",
                        r.indexedMessages(), r.memories(), r.outboxPeak(), r.lagPeakSeconds()));
    }

    private static void write(Path dir, StoreBenchResult r, StoreBenchResult unbatched) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> doc = fields(r);
        if (unbatched != null) {
            doc.put("unbatched", fields(unbatched));
            doc.put("batching_gain", ratio(r.pipelineRate(), unbatched.pipelineRate()));
        }
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("store-result.json").toFile(), doc);
    }

    private static Map<String, Object> fields(StoreBenchResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("messages", r.messages());
        doc.put("intake_s", r.intakeSeconds());
        doc.put("acknowledged_per_s", r.acknowledgedRate());
        doc.put("stored_during_intake_per_s", r.intakeStoredRate());
        doc.put("drain_s", r.drainSeconds());
        doc.put("drain_stored_per_s", r.drainRate());
        doc.put("sustained_messages_per_s", r.pipelineRate());
        doc.put("indexed_messages", r.indexedMessages());
        doc.put("indexed_memories", r.memories());
        doc.put("outbox_peak", r.outboxPeak());
        doc.put("visibility_lag_peak_s", r.lagPeakSeconds());
        doc.put("drained", r.drained());
        return doc;
    }

    private static List<String> texts(StoreBenchOptions o) throws Exception {
        List<String> out = new ArrayList<>();
        for (LocomoSample s : LocomoLoader.loadOrDevSet(o.data())) {
            for (LocomoSample.Session session : s.sessions()) {
                for (LocomoSample.Turn t : session.turns()) if (!t.text().isBlank()) out.add(t.text());
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(Objects.toString(o.data(), "the dev set") + " holds no messages");
        return out;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left for the OS to clean
        }
    }
}
