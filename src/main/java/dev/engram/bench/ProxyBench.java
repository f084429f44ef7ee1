package dev.engram.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.config.EngramConfig;

/**
 * {@code engram bench proxy}: what the OpenAI-compatible proxy adds to a call. Starts the fake upstream and a
 * real Engram forwarding to it, then in one run and one at a time sends the same chat-completion requests
 * to the upstream directly and through Engram, plain and streamed, the four series interleaved. Reports
 * p50/p99 of plain calls and of the time to the first streamed event, and the proxy's overhead at the
 * median. Targets: ≤ 5 ms added at p50, first streamed event ≤ 5 ms after the upstream's.
 */
public final class ProxyBench {
    static final double TARGET_MS = 5.0;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param requests        measured calls per series
     * @param warmup          unmeasured calls per series first (JIT, connections, first embeddings)
     * @param upstreamLatency the fake upstream's time to its answer (and to its first streamed event)
     * @param chunks          content events per streamed answer
     * @param chunkInterval   pause between two streamed events
     * @param chats           conversations the requests are spread over
     * @param pause           idle time after each round of four calls (a bot's pace; Engram's background
     *                        memory work for the message runs then, as between a real chat's messages)
     * @param memory          {@code memory.enable_memory}: off measures the proxy's plumbing alone (intake, forwarding)
     * @param out             directory for proxy-result.json, or null
     */
    public record Options(int requests, int warmup, Duration upstreamLatency, int chunks, Duration chunkInterval,
                          int chats, Duration pause, boolean memory, Path out) {
        public static Options defaults() {
            return new Options(500, 100, Duration.ofMillis(20), 8, Duration.ofMillis(2), 10, Duration.ofMillis(100), true,
                    null);
        }
    }

    /** @param passed both targets met */
    public record Result(Map<String, Object> doc, boolean passed) {
    }

    private ProxyBench() {
    }

    public static Result run(Options o, ServerLauncher launcher, PrintStream out) throws Exception {
        List<String> texts = LoadBench.texts(null);
        Path dir = Files.createTempDirectory("engram-bench-proxy-");
        FakeLlmProfile profile = FakeLlmProfile.fixed(o.upstreamLatency()).withStreaming(o.chunks(), o.chunkInterval());
        try (FakeLlmServer upstream = FakeLlmServer.start(0, profile);
             ServerLauncher.Running engram = launcher.start(EngramConfig.parse(config(dir, upstream.baseUrl(), o.memory()),
                     dir.resolve("config.toml")));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
            URI proxied = URI.create("http://127.0.0.1:" + engram.port() + "/v1/chat/completions");
            ProxyBenchCalls calls = new ProxyBenchCalls(http);
            out.printf("proxy bench: %d calls per series after %d warm-up, upstream %d ms, %d chunks %d ms apart, "
                    + "%d ms pause after each round of 4 calls, memory %s%n", o.requests(), o.warmup(), o.upstreamLatency().toMillis(),
                    o.chunks(), o.chunkInterval().toMillis(), o.pause().toMillis(), o.memory() ? "on" : "off");
            Map<String, Object> doc = report(o, measure(o, texts, calls, direct, proxied), out);
            if (o.out() != null) {
                Files.createDirectories(o.out());
                JSON.writeValue(o.out().resolve("proxy-result.json").toFile(), doc);
                out.println("wrote " + o.out().resolve("proxy-result.json"));
            }
            return new Result(doc, (Boolean) doc.get("passed"));
        }
    }

    /**
     * Runs the four series interleaved, so that none gets a warmer or a busier machine than another: each
     * round sends one plain and one streamed request, each to the upstream directly and through Engram,
     * in an order that rotates from round to round. Returns the sorted latencies per series (to the whole
     * body for plain calls, to the first event for streams).
     */
    private static Map<String, double[]> measure(Options o, List<String> texts, ProxyBenchCalls calls, URI direct,
                                                 URI proxied) throws Exception {
        String[] keys = {"plain_direct", "plain_proxied", "stream_direct", "stream_proxied"};
        double[][] v = new double[4][o.requests()];
        for (int i = -o.warmup(); i < o.requests(); i++) {
            int k = i + o.warmup();
            String text = texts.get(Math.floorMod(k, texts.size()));
            String user = "bench-" + (k % o.chats());
            for (int j = 0; j < 4; j++) {
                int series = (j + k) % 4;
                boolean stream = series >= 2;
                URI target = series % 2 == 0 ? direct : proxied;
                double ms = calls.call(target, body(text, user, stream), (stream ? "stream-" : "plain-") + k, stream)
                        .firstMs();
                if (i >= 0) v[series][i] = ms;
            }
            Thread.sleep(o.pause()); // the load model's pace, not a wait for a result
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int j = 0; j < 4; j++) m.put(keys[j], LoadStats.sorted(v[j]));
        return m;
    }

    private static Map<String, Object> report(Options o, Map<String, double[]> v, PrintStream out) {
        Map<String, Object> series = new LinkedHashMap<>();
        out.printf("%-34s %8s %8s %8s%n", "series", "p50 ms", "p99 ms", "n");
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"plain, upstream directly", v.get("plain_direct")});
        rows.add(new Object[] {"plain, through Engram", v.get("plain_proxied")});
        rows.add(new Object[] {"stream first event, directly", v.get("stream_direct")});
        rows.add(new Object[] {"stream first event, through Engram", v.get("stream_proxied")});
        String[] keys = {"plain_direct", "plain_proxied", "stream_first_direct", "stream_first_proxied"};
        for (int i = 0; i < rows.size(); i++) {
            double[] ms = (double[]) rows.get(i)[1];
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("p50_ms", LoadStats.round(LoadStats.at(ms, 0.5)));
            s.put("p99_ms", LoadStats.round(LoadStats.at(ms, 0.99)));
            s.put("n", ms.length);
            series.put(keys[i], s);
            out.printf("%-34s %8.2f %8.2f %8d%n", rows.get(i)[0], s.get("p50_ms"), s.get("p99_ms"), ms.length);
        }
        double plainOverhead = LoadStats.round(LoadStats.at(v.get("plain_proxied"), 0.5)
                - LoadStats.at(v.get("plain_direct"), 0.5));
        double firstOverhead = LoadStats.round(LoadStats.at(v.get("stream_proxied"), 0.5)
                - LoadStats.at(v.get("stream_direct"), 0.5));
        boolean passed = plainOverhead <= TARGET_MS && firstOverhead <= TARGET_MS;
        out.printf("added by the proxy at p50: plain %.2f ms, first streamed event %.2f ms (targets <= %.0f ms): %s%n",
                plainOverhead, firstOverhead, TARGET_MS, passed ? "met" : "NOT met");
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("requests", o.requests());
        options.put("warmup", o.warmup());
        options.put("upstream_latency_ms", o.upstreamLatency().toMillis());
        options.put("chunks", o.chunks());
        options.put("chunk_interval_ms", o.chunkInterval().toMillis());
        options.put("chats", o.chats());
        options.put("pause_ms", o.pause().toMillis());
        options.put("memory", o.memory());
        doc.put("options", options);
        doc.put("series", series);
        doc.put("overhead_p50_ms", Map.of("plain", plainOverhead, "stream_first_event", firstOverhead));
        doc.put("target_ms", TARGET_MS);
        doc.put("passed", passed);
        return doc;
    }

    private static byte[] body(String text, String user, boolean stream) throws Exception {
        ObjectNode b = JSON.createObjectNode();
        b.put("model", "bench-model");
        b.put("user", user);
        b.put("stream", stream);
        var messages = b.putArray("messages");
        messages.addObject().put("role", "system").put("content", "你是一个友好的聊天机器人。");
        messages.addObject().put("role", "user").put("content", text);
        return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(b);
    }

    private static String config(Path dir, URI upstream, boolean memory) {
        return """
                [server]
                port = 0
                [storage]
                data_dir = "%s"
                [llm]
                provider = "openai"
                base_url = "%s"
                [tasks]
                drain_deadline_ms = 2000
                [memory]
                enable_memory = %s
                """.formatted(dir.resolve("data").toString().replace("\\", "/"), upstream, memory);
    }
}
