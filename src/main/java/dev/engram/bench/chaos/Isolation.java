package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Cross-chat isolation: one secret (a unique random token) stored in each of many chats with odd ids
 * ({@link OddIds}; by message in even chats, by {@code POST /api/memory} in odd ones), then every chat
 * searches ({@code /api/memory/search}) for every other chat's secret, and asks for a few of them in a
 * message ({@code /api/message}, whose recalled memories are checked). A leak is a (chat, foreign
 * secret) pair where the chat's results hold the secret. Ids the server refuses (400) take no part.
 */
final class Isolation {
    /**
     * @param chats         ids tried
     * @param refused       ids refused with a 4xx at store time (lone surrogates, over the length limit…)
     * @param refusedIds    those ids, every char outside printable ASCII escaped
     * @param pairs         (chat, foreign secret) pairs checked by search
     * @param messagePairs  pairs checked by a message's recalled memories
     * @param leaks         pairs whose results held the foreign secret
     * @param ownMissing    chats whose own secret their search did not find
     * @param errors        requests that failed (5xx, I/O)
     * @param examples      the first few leaks and errors
     */
    record Result(int chats, int refused, List<String> refusedIds, long pairs, long messagePairs, long leaks, int ownMissing, long errors,
                  List<String> examples) {
    }

    private record Secret(String chat, String token) {
    }

    private final ChaosContext ctx;
    private final AtomicLong leaks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> examples = new ArrayList<>();

    Isolation(ChaosContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param base        the server
     * @param chats       ids to try (pairs ≈ chats², less the refused ones)
     * @param probes      foreign secrets asked for in each chat's message
     */
    Result run(URI base, int chats, int probes, int concurrency) throws Exception {
        SplittableRandom random = new SplittableRandom(ctx.seed() ^ 0x150L);
        List<String> ids = OddIds.ids(chats, ctx.seed());
        List<Secret> secrets = new ArrayList<>();
        List<String> refusedIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Secret s = new Secret(ids.get(i), "s" + Ledger.token(random).substring(1));
            ChaosHttp.Response r = store(base, s, i);
            if (r.ok()) secrets.add(s);
            else if (r.status() >= 400 && r.status() < 500) refusedIds.add(visible(s.chat()));
            else error("storing in chat " + visible(s.chat()) + " answered " + r.status() + ": " + r.body());
        }
        ServerStatus.awaitDrained(ctx.http(), base, Duration.ofSeconds(120));
        Map<String, String> owner = new HashMap<>();
        secrets.forEach(s -> owner.put(s.token(), s.chat()));
        AtomicInteger ownMissing = new AtomicInteger();
        AtomicLong pairs = new AtomicLong();
        Semaphore permits = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (Secret own : secrets) {
                all.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        ChaosHttp.Response r = RecallAudit.search(ctx.http(), base, own.chat(), own.token());
                        if (r.status() != 200 || !texts(r).stream().anyMatch(t -> t.contains(own.token()))) {
                            ownMissing.incrementAndGet();
                        }
                        check(own.chat(), texts(r), owner, "own search");
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
                for (Secret foreign : secrets) {
                    if (foreign.chat().equals(own.chat())) continue;
                    all.add(pool.submit(() -> {
                        permits.acquire();
                        try {
                            pairs.incrementAndGet();
                            ChaosHttp.Response r = RecallAudit.search(ctx.http(), base, own.chat(), foreign.token());
                            if (r.status() != 200) error("search in " + visible(own.chat()) + " answered " + r.status());
                            else check(own.chat(), texts(r), owner, "search for " + foreign.token());
                        } catch (IOException e) {
                            error("search in " + visible(own.chat()) + ": " + e);
                        } finally {
                            permits.release();
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : all) f.get();
        }
        long messagePairs = probe(base, secrets, owner, probes, random);
        ctx.progress("isolation: %d chats (%d refused), %d search pairs, %d message pairs, %d leaks, %d errors",
                ids.size(), refusedIds.size(), pairs.get(), messagePairs, leaks.get(), errors.get());
        synchronized (examples) {
            return new Result(ids.size(), refusedIds.size(), refusedIds, pairs.get(), messagePairs, leaks.get(), ownMissing.get(), errors.get(),
                    List.copyOf(examples));
        }
    }

    private ChaosHttp.Response store(URI base, Secret s, int i) throws IOException, InterruptedException {
        if (i % 2 == 0) {
            return ctx.http().post(base.resolve("/api/message"), "{\"chat_id\": " + ChaosHttp.quote(s.chat())
                    + ", \"message_id\": \"iso-" + i + "\", \"message\": \"我的保险箱密码是 " + s.token() + "，别告诉别人\"}",
                    Duration.ofSeconds(30));
        }
        return ctx.http().post(base.resolve("/api/memory"), "{\"chat_id\": " + ChaosHttp.quote(s.chat())
                + ", \"content\": \"记住：保险箱密码是 " + s.token() + "\"}", Duration.ofSeconds(30));
    }

    /** Each chat asks in one message for {@code probes} foreign secrets; returns the pairs checked. */
    private long probe(URI base, List<Secret> secrets, Map<String, String> owner, int probes, SplittableRandom random)
            throws InterruptedException {
        long pairs = 0;
        for (Secret own : secrets) {
            List<String> asked = new ArrayList<>();
            while (asked.size() < Math.min(probes, secrets.size() - 1)) {
                Secret other = secrets.get(random.nextInt(secrets.size()));
                if (!other.chat().equals(own.chat()) && !asked.contains(other.token())) asked.add(other.token());
            }
            try {
                ChaosHttp.Response r = ctx.http().post(base.resolve("/api/message"), "{\"chat_id\": "
                        + ChaosHttp.quote(own.chat()) + ", \"message\": " + ChaosHttp.quote("你还记得保险箱密码 "
                        + String.join(" ", asked) + " 吗？") + "}", Duration.ofSeconds(30));
                if (r.status() != 200) {
                    error("message in " + visible(own.chat()) + " answered " + r.status());
                    continue;
                }
                List<String> texts = new ArrayList<>();
                for (JsonNode m : r.json().path("memories")) texts.add(m.path("text").asText());
                pairs += asked.size();
                check(own.chat(), texts, owner, "message asking for " + asked);
            } catch (IOException e) {
                error("message in " + visible(own.chat()) + ": " + e);
            }
        }
        return pairs;
    }

    private static List<String> texts(ChaosHttp.Response r) {
        List<String> texts = new ArrayList<>();
        for (JsonNode m : r.json().path("memories")) texts.add(m.path("text").asText());
        return texts;
    }

    /** Counts every foreign secret in {@code texts} as a leak. */
    private void check(String chat, List<String> texts, Map<String, String> owner, String what) {
        for (String text : texts) {
            for (Map.Entry<String, String> e : owner.entrySet()) {
                if (!e.getValue().equals(chat) && text.contains(e.getKey())) {
                    leaks.incrementAndGet();
                    example("leak: " + what + " in chat " + visible(chat) + " returned the secret of chat "
                            + visible(e.getValue()) + ": " + text);
                }
            }
        }
    }

    private void error(String what) {
        errors.incrementAndGet();
        example(what);
    }

    private void example(String what) {
        synchronized (examples) {
            if (examples.size() < 10) examples.add(what);
        }
    }

    /** @return the id with every char outside printable ASCII escaped, for the report */
    static String visible(String id) {
        String q = ChaosHttp.quote(id);
        return q.length() > 60 ? q.substring(0, 60) + "…\"" : q;
    }
}
