package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Searches every acknowledged item of a ledger in its own chat ({@code GET /api/memory/search} with the item's
 * token as the query): an item no result text contains is unsearchable. Run once the outbox has drained.
 */
final class RecallAudit {
    /** Items searched and not found. */
    record Result(int searched, Set<String> unsearchable, String firstMissing) {
    }

    private RecallAudit() {
    }

    static Result audit(ChaosHttp http, URI base, List<Ledger.Item> items, int parallelism) throws Exception {
        Set<String> missing = ConcurrentHashMap.newKeySet();
        AtomicReference<String> first = new AtomicReference<>();
        Semaphore permits = new Semaphore(parallelism);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> all = items.stream().map(item -> pool.submit(() -> {
                permits.acquire();
                try {
                    if (!found(http, base, item.chat, item.token)) {
                        missing.add(item.token);
                        first.compareAndSet(null, item.kind + " " + item.token + " of chat " + item.chat);
                    }
                } finally {
                    permits.release();
                }
                return null;
            })).toList();
            for (Future<?> f : all) f.get();
        }
        return new Result(items.size(), Set.copyOf(missing), first.get());
    }

    /** @return whether a search in {@code chat} for {@code token} returns a memory containing it */
    static boolean found(ChaosHttp http, URI base, String chat, String token) throws IOException, InterruptedException {
        return contains(search(http, base, chat, token), token);
    }

    static ChaosHttp.Response search(ChaosHttp http, URI base, String chat, String query)
            throws IOException, InterruptedException {
        return http.get(base.resolve("/api/memory/search?chat_id=" + ChaosHttp.queryValue(chat) + "&q="
                + ChaosHttp.queryValue(query) + "&k=20&timeout_ms=5000"), Duration.ofSeconds(15));
    }

    static boolean contains(ChaosHttp.Response r, String token) throws IOException {
        if (r.status() != 200) throw new IOException("search answered " + r.status() + ": " + r.body());
        for (JsonNode m : r.json().path("memories")) {
            if (m.path("text").asText().contains(token)) return true;
        }
        return false;
    }
}
