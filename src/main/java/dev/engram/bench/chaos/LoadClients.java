package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent message and memory load against one server until {@link #stop()}: message clients on one hot
 * chat and on a spread of chats, memory clients on the spread, every item recorded in the {@link Ledger}
 * before it is sent. A client stops at its first I/O error (the server went away;
 * the item stays unacknowledged, its fate unknown). One instance per server life.
 */
final class LoadClients {
    static final String HOT_CHAT = "chaos-hot";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a client pauses after a 503 ({@code starting}: the memory routes open once the memory side is up). */
    private static final Duration STARTING_PAUSE = Duration.ofMillis(250);

    private final ChaosHttp http;
    private final Ledger ledger;
    private final URI base;
    private final int round;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    LoadClients(ChaosHttp http, Ledger ledger, URI base, int round) {
        this.http = http;
        this.ledger = ledger;
        this.base = base;
        this.round = round;
    }

    /** Starts {@code hot} clients on the hot chat, {@code spread} over 8 chats and {@code memory} memory clients. */
    LoadClients start(int hot, int spread, int memory) {
        for (int i = 0; i < hot + spread + memory; i++) {
            Ledger.Kind kind = i < hot + spread ? Ledger.Kind.MESSAGE : Ledger.Kind.MEMORY;
            boolean onHot = i < hot;
            SplittableRandom random = ledger.split();
            threads.add(Thread.ofVirtual().name("chaos-load-" + i).start(() -> loop(kind, onHot, random)));
        }
        return this;
    }

    private void loop(Ledger.Kind kind, boolean hot, SplittableRandom random) {
        while (running.get()) {
            String chat = hot ? HOT_CHAT : "chaos-" + random.nextInt(8);
            Ledger.Item item = ledger.add(kind, chat, random, round);
            try {
                ChaosHttp.Response r = send(http, base, item);
                if (r.ok()) {
                    item.acknowledge();
                    acknowledged.incrementAndGet();
                } else if (r.status() == 503) {
                    Thread.sleep(STARTING_PAUSE.toMillis()); // memory routes while the server starts: as a polite client
                }
            } catch (IOException e) {
                return; // the server is gone or going: the item's fate is decided by the audit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends every message in doubt again with its message_id (stored at most once); returns how many were acknowledged. */
    static int redeliver(ChaosHttp http, URI base, Ledger ledger) throws InterruptedException {
        int n = 0;
        for (Ledger.Item item : ledger.unknownMessages()) {
            try {
                if (send(http, base, item).ok()) {
                    item.acknowledge();
                    n++;
                }
            } catch (IOException e) {
                // stays in doubt; the next life tries again
            }
        }
        return n;
    }

    /** Sends one item. */
    static ChaosHttp.Response send(ChaosHttp http, URI base, Ledger.Item item) throws IOException, InterruptedException {
        if (item.kind == Ledger.Kind.MESSAGE) {
            return http.post(base.resolve("/api/message"), "{\"chat_id\": " + ChaosHttp.quote(item.chat)
                    + ", \"message_id\": " + ChaosHttp.quote(item.messageId) + ", \"user_id\": \"u1\", \"message\": "
                    + ChaosHttp.quote(item.text) + "}", TIMEOUT);
        }
        return http.post(base.resolve("/api/memory"), "{\"chat_id\": " + ChaosHttp.quote(item.chat) + ", \"content\": "
                + ChaosHttp.quote(item.text) + "}", TIMEOUT);
    }

    /**
     * Lets the load run for {@code ms}, and on (at most 20 s in all) until {@code minAcks} items were acknowledged.
     */
    void awaitLoad(long ms, int minAcks) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(ms); // the load runs this long
        while (acknowledged.get() < minAcks && System.nanoTime() - start < 20_000_000_000L && anyRunning()) {
            Thread.sleep(50); // polling the clients' progress
        }
    }

    private boolean anyRunning() {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    int acknowledged() {
        return acknowledged.get();
    }

    /** Stops the clients and waits for them (in-flight requests end with the server or their timeout). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join(TIMEOUT.toMillis() + 5_000);
    }
}
