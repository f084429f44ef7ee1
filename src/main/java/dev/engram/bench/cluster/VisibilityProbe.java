package dev.engram.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.bench.chaos.ChaosHttp;

/**
 * Cross-instance time-to-visibility: a probe message is posted to one live instance, then searched for (its
 * token as the query, every {@link #POLL}) on another live instance until a result contains it; the time from
 * the acknowledgement to the first hit is one sample (at most {@link #POLL} late: a search is a whole recall, and
 * polling faster would load the instance it measures). A probe not visible within {@link #GIVE_UP} counts as
 * that long and as missed. Runs on its own thread until {@link #stop()}; one probe at a time.
 */
final class VisibilityProbe {
    static final Duration POLL = Duration.ofMillis(50);
    static final Duration GIVE_UP = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ChaosHttp http;
    private final List<URI> instances;
    private final IntPredicate alive;
    private final ClusterLedger ledger;
    private final Duration every;
    private final SplittableRandom random;
    private final List<Double> samples = new ArrayList<>();
    private volatile boolean running = true;
    private int missed;
    private Thread thread;

    VisibilityProbe(ChaosHttp http, List<URI> instances, IntPredicate alive, ClusterLedger ledger, Duration every, long seed) {
        this.http = http;
        this.instances = instances;
        this.alive = alive;
        this.ledger = ledger;
        this.every = every;
        this.random = new SplittableRandom(seed);
    }

    VisibilityProbe start() {
        thread = Thread.ofPlatform().name("cluster-bench-probe").daemon().start(this::loop);
        return this;
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) thread.join(GIVE_UP.toMillis() + TIMEOUT.toMillis());
    }

    synchronized List<Double> samples() {
        return List.copyOf(samples);
    }

    synchronized int missed() {
        return missed;
    }

    private void loop() {
        int probe = 0;
        while (running) {
            long started = System.nanoTime();
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < instances.size(); i++) if (alive.test(i)) live.add(i);
            if (live.size() >= 2) {
                int from = live.get(random.nextInt(live.size()));
                int to;
                do {
                    to = live.get(random.nextInt(live.size()));
                } while (to == from);
                try {
                    probeOnce("probe-" + (probe++ % 4), from, to);
                } catch (IOException e) {
                    // an instance went away mid-probe (the kill): no sample
                } catch (InterruptedException e) {
                    return;
                }
            }
            long pause = every.toNanos() - (System.nanoTime() - started);
            if (pause > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(pause)); // the probe's own pacing
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void probeOnce(String chat, int from, int to) throws IOException, InterruptedException {
        ClusterLedger.Item item = ledger.next(ClusterLedger.Kind.MESSAGE, chat, from, false, true);
        ChaosHttp.Response r = http.post(instances.get(from).resolve("/api/message"), ClusterTraffic.json(java.util.Map.of(
                "chat_id", chat, "message_id", item.token, "message", item.text())), TIMEOUT);
        if (!r.ok()) return;
        item.acknowledged = true;
        long acked = System.nanoTime();
        URI search = instances.get(to).resolve("/api/memory/search?chat_id=" + enc(chat) + "&q=" + enc(item.token)
                + "&k=5&timeout_ms=1000");
        while (System.nanoTime() - acked < GIVE_UP.toNanos()) {
            if (!alive.test(to)) return;
            ChaosHttp.Response hit = http.get(search, TIMEOUT);
            if (contains(hit.json(), item.token)) {
                synchronized (this) {
                    samples.add((System.nanoTime() - acked) / 1e6);
                }
                return;
            }
            Thread.sleep(POLL); // polling another process's search: there is nothing to wait on
        }
        synchronized (this) {
            samples.add((double) GIVE_UP.toMillis());
            missed++;
        }
    }

    static boolean contains(JsonNode result, String token) {
        for (JsonNode m : result.path("memories")) {
            if (m.path("text").asText().contains(token)) return true;
        }
        return false;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
