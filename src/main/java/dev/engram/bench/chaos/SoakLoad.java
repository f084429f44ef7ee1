package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady load for a soak: {@code clients} virtual threads, each sending one request per period so that together
 * they aim at {@code requestsPerSecond}; two of every three requests are messages ({@code POST /api/message}),
 * the third a {@code POST /api/memory}, over {@code chats} chats, each item unique (a random token between
 * random Chinese characters, as {@link Ledger} makes them; or, with {@code distinct} N, one of N such texts per
 * chat and kind, each message still with a new {@code message_id}). Unlike {@link LoadClients} a client keeps going
 * after an error (a timeout or a refused connection is counted) and nothing is kept per item, so hours of load
 * hold no growing state here. A client that falls behind skips the periods it missed instead of bursting.
 */
final class SoakLoad {
    private final ChaosHttp http;
    private final URI base;
    private final int chats;
    private final int distinct;
    private final long seed;
    private final long periodNanos;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ioErrors = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    SoakLoad(ChaosHttp http, URI base, double requestsPerSecond, int clients, int chats, int distinct, long seed) {
        this.http = http;
        this.base = base;
        this.chats = chats;
        this.distinct = distinct;
        this.seed = seed;
        this.periodNanos = (long) (clients * 1e9 / requestsPerSecond);
    }

    /** Starts {@code clients} clients, their first requests spread over one period. */
    SoakLoad start(int clients, SplittableRandom seeds) {
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            SplittableRandom random = seeds.split();
            long first = start + periodNanos * i / clients;
            threads.add(Thread.ofVirtual().name("soak-load-" + i).start(() -> loop(random, first)));
        }
        return this;
    }

    private void loop(SplittableRandom random, long first) {
        long next = first;
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing: the next request is due then
                continue;
            }
            next = Math.max(next + periodNanos, System.nanoTime());
            long n = sent.incrementAndGet();
            Ledger.Kind kind = n % 3 == 0 ? Ledger.Kind.MEMORY : Ledger.Kind.MESSAGE;
            int c = random.nextInt(chats);
            String chat = "soak-" + c;
            // with distinct texts, the text is a function of (chat, kind, pick): the same N texts come back
            SplittableRandom words = distinct == 0 ? random
                    : new SplittableRandom(seed * 31 + (c * 2L + kind.ordinal()) * 1_000_003L + random.nextInt(distinct));
            String token = Ledger.token(words);
            String text = (kind == Ledger.Kind.MESSAGE ? "消息：" : "记住：") + Ledger.filler(words) + " " + token + " "
                    + Ledger.filler(words);
            Ledger.Item item = new Ledger.Item(kind, chat, token, kind == Ledger.Kind.MESSAGE ? "soak-" + n : null, text);
            try {
                statuses.computeIfAbsent(LoadClients.send(http, base, item).status(), k -> new AtomicLong())
                        .incrementAndGet();
            } catch (IOException e) {
                ioErrors.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    long sent() {
        return sent.get();
    }

    long ioErrors() {
        return ioErrors.get();
    }

    /** @return requests answered 2xx */
    long acknowledged() {
        return statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(e -> e.getValue().get()).sum();
    }

    /** @return answers by HTTP status */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> m = new TreeMap<>();
        statuses.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Stops the clients and waits for their requests in flight (each ends by its timeout at the latest). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            LockSupport.unpark(t);
            t.join(20_000);
        }
    }
}
