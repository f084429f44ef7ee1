package dev.engram.bench.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engram.bench.chaos.ChaosHttp;

/**
 * Open-loop traffic over the instances of a cluster: {@code rate} items per second (one in ten a memory,
 * the rest chat messages answered by the offline provider) on {@code chats} chats, each item sent to the
 * next live instance in turn, each on a virtual thread of its own so a slow instance never slows the
 * schedule. Runs until {@link #stop()}; {@link #await()} waits for the items in flight.
 */
final class ClusterTraffic {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChaosHttp http;
    private final List<URI> instances;
    private final IntPredicate alive;
    private final ClusterLedger ledger;
    private final int rate;
    private final int chats;
    private final String chatPrefix;
    private final SplittableRandom random;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean measured = new AtomicBoolean();
    private final AtomicInteger failed = new AtomicInteger();
    private final int[] sent;
    private final int[] acked;
    private Thread pacer;

    ClusterTraffic(ChaosHttp http, List<URI> instances, IntPredicate alive, ClusterLedger ledger, int rate, int chats,
                   String chatPrefix, long seed) {
        this.http = http;
        this.instances = instances;
        this.alive = alive;
        this.ledger = ledger;
        this.rate = rate;
        this.chats = chats;
        this.chatPrefix = chatPrefix;
        this.random = new SplittableRandom(seed);
        this.sent = new int[instances.size()];
        this.acked = new int[instances.size()];
    }

    /** Starts sending. */
    ClusterTraffic start() {
        pacer = Thread.ofPlatform().name("cluster-bench-pacer").daemon().start(this::pace);
        return this;
    }

    /** From now on items are measured (the warm-up is over). */
    void markMeasured() {
        measured.set(true);
    }

    /** From now on items are marked as sent after the kill. */
    void markKilled() {
        killed.set(true);
    }

    /** Stops the schedule (items in flight go on). */
    void stop() {
        running.set(false);
        if (pacer != null) pacer.interrupt();
    }

    /** Waits for the items in flight (at most their timeout). */
    void await() throws InterruptedException {
        if (pacer != null) pacer.join();
        senders.shutdown();
        senders.awaitTermination(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    synchronized int[] sentPerInstance() {
        return sent.clone();
    }

    synchronized int[] ackedPerInstance() {
        return acked.clone();
    }

    int failed() {
        return failed.get();
    }

    private void pace() {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int turn = 0;
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // the open-loop schedule: the load model, not a test wait
                } catch (InterruptedException e) {
                    return;
                }
            }
            next += interval;
            int target = -1;
            for (int i = 0; i < instances.size(); i++) {
                int candidate = (turn + i) % instances.size();
                if (alive.test(candidate)) {
                    target = candidate;
                    break;
                }
            }
            turn++;
            if (target < 0) return;
            ClusterLedger.Kind kind;
            String chat;
            synchronized (this) {
                kind = random.nextInt(10) == 0 ? ClusterLedger.Kind.MEMORY : ClusterLedger.Kind.MESSAGE;
                chat = chatPrefix + random.nextInt(chats);
                sent[target]++;
            }
            ClusterLedger.Item item = ledger.next(kind, chat, target, killed.get(), measured.get());
            int instance = target;
            senders.execute(() -> send(item, instances.get(instance)));
        }
    }

    private void send(ClusterLedger.Item item, URI base) {
        try {
            ChaosHttp.Response r = item.kind == ClusterLedger.Kind.MESSAGE
                    ? http.post(base.resolve("/api/message"), json(Map.of("chat_id", item.chat, "message_id", item.token,
                    "user_id", "u-" + item.token.charAt(0), "user_name", "用户" + item.token.charAt(0),
                    "message", item.text())), TIMEOUT)
                    : http.post(base.resolve("/api/memory"), json(Map.of("chat_id", item.chat, "content", item.text())),
                    TIMEOUT);
            if (!r.ok()) {
                failed.incrementAndGet();
                return;
            }
            if (item.kind == ClusterLedger.Kind.MESSAGE) item.memoryMs = r.json().path("timings_ms").path("memory").asDouble(-1);
            item.acknowledged = true;
            synchronized (this) {
                acked[item.instance]++;
            }
        } catch (java.io.IOException e) {
            failed.incrementAndGet(); // the instance went away: the item's fate is unknown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request body. */
    static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
