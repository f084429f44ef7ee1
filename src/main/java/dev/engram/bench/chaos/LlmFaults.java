package dev.engram.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;

/**
 * LLM fault injection: a server on the {@code openai} provider talks to the fake LLM through
 * {@link FaultyLlm}. Three phases of messages, memories and searches from concurrent clients:
 * <ol>
 *   <li><b>memory faults</b>: only memory-model calls fail, at the rate: every reply must be 200;</li>
 *   <li><b>all faults</b>: every call may fail: a reply is 200, or 502/504 with a JSON error body;</li>
 *   <li><b>recovery</b>: no faults: every reply is 200 again.</li>
 * </ol>
 * A failed memory path is a memory or recall failure that reached a client: a reply other than 200 in
 * phases 1 and 3, a 5xx other than the reply model's 502/504 (or one without its JSON body) in phase 2, a
 * reply whose {@code memory_status} is none of the documented values, a memory store not answered 202 or a
 * search not answered 200. Retries and dead letters come from {@code /api/status} once the outbox drained.
 */
final class LlmFaults {
    static final String REPLY_MODEL = "chaos-reply";
    /**
     * Config of a child whose LLM is the faulty front ({@code @BASE@} is replaced by its URL): the {@code openai}
     * provider, short timeouts so stalls end quickly, and the chaos model names.
     */
    static final String FAULTY_LLM_CONFIG = """
            [llm]
            provider = "openai"
            base_url = "@BASE@"
            request_timeout_ms = 5000
            [llm.models]
            reply = "%s"
            utils = "chaos-utils"
            utils_small = "chaos-small"
            [chat]
            reply_timeout_ms = 8000
            """.formatted(REPLY_MODEL);
    static final Set<String> MEMORY_MODELS = Set.of("chaos-utils", "chaos-small");
    private static final Set<String> MEMORY_STATUSES = Set.of("ok", "partial", "timeout", "skipped", "disabled");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param rate              configured share of failing LLM calls
     * @param llmCalls          calls the LLM front received
     * @param eligible          of those, calls that could fail (to a faulty model in a fault phase)
     * @param callsByModel      of those, per model
     * @param injected          failures injected, by kind
     * @param replies           reply status → count, per phase
     * @param memoryStatuses    memory_status of 200 replies → count
     * @param failedMemoryPaths memory or recall failures that reached a client
     * @param badErrorBodies    502/504 without a JSON {@code error} body
     * @param retried           task retries ({@code /api/status} totals)
     * @param failedTasks       tasks that failed for good without being dead-lettered (non-retriable errors)
     * @param dead              dead-lettered tasks
     * @param deadLetters       dead letters listed in {@code /api/status}
     * @param inOutbox          {@code in_outbox} of {@code /api/status} at the end
     * @param drained           whether the outbox drained afterwards
     * @param recovered         whether every reply of the recovery phase was 200
     * @param firstProblem      the first failed path, or null
     */
    record Result(double rate, long llmCalls, long eligible, Map<String, Long> callsByModel, Map<String, Long> injected,
                  Map<String, Map<Integer, Integer>> replies, Map<String, Integer> memoryStatuses, int failedMemoryPaths,
                  int badErrorBodies, long retried, long failedTasks, long dead, int deadLetters, long inOutbox,
                  boolean drained, boolean recovered, String firstProblem) {
        /** @return the share of the calls that could fail that did */
        double injectedRate() {
            return eligible == 0 ? 0 : (double) injectedTotal() / eligible;
        }

        long injectedTotal() {
            return injected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final ChaosContext ctx;
    private final AtomicInteger failedPaths = new AtomicInteger();
    private final AtomicInteger badBodies = new AtomicInteger();
    private final AtomicReference<String> first = new AtomicReference<>();
    private final Map<String, Integer> memoryStatuses = new ConcurrentHashMap<>();

    LlmFaults(ChaosContext ctx) {
        this.ctx = ctx;
    }

    /** The fake LLM, its fault-injecting front and the server using them; closes all three. */
    record Setup(FakeLlmServer fake, FaultyLlm llm, ChildEngram server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            llm.close();
            fake.close();
        }
    }

    /** Starts the fake LLM, its front (no faults yet) and a server on the {@code openai} provider using them. */
    static Setup start(ChaosContext ctx) throws Exception {
        String config = ctx.config("llm", FAULTY_LLM_CONFIG);
        FakeLlmServer fake = FakeLlmServer.start(0, FakeLlmProfile.instant());
        FaultyLlm llm = null;
        try {
            llm = new FaultyLlm(fake, REPLY_MODEL, ctx.seed(), Duration.ofSeconds(10));
            return new Setup(fake, llm, ctx.start("llm", config.replace("@BASE@", llm.baseUrl().toString()), "llm"));
        } catch (Exception | Error e) {
            if (llm != null) llm.close();
            fake.close();
            throw e;
        }
    }

    /**
     * @param rate     share of failing calls in the fault phases
     * @param messages messages per fault phase (plus half as many memories and searches)
     */
    Result run(Setup setup, double rate, int messages, int concurrency) throws Exception {
        FaultyLlm llm = setup.llm();
        ChildEngram server = setup.server();
        Map<String, Map<Integer, Integer>> replies = new java.util.LinkedHashMap<>();
        phase("warmup", server.base(), 8, concurrency, false); // not counted: JIT and connections warm up
        failedPaths.set(0);
        badBodies.set(0);
        first.set(null);
        memoryStatuses.clear();
        llm.setFaults(rate, MEMORY_MODELS);
        replies.put("memory_faults", phase("memory_faults", server.base(), messages, concurrency, false));
        llm.setFaults(rate, union(MEMORY_MODELS, Set.of(REPLY_MODEL)));
        replies.put("all_faults", phase("all_faults", server.base(), messages, concurrency, true));
        llm.setFaults(0, Set.of());
        int recovery = Math.max(10, messages / 10);
        Map<Integer, Integer> back = phase("recovery", server.base(), recovery, concurrency, false);
        replies.put("recovery", back);
        boolean drained = ServerStatus.awaitDrained(ctx.http(), server.base(), Duration.ofSeconds(120));
        JsonNode tasks = ServerStatus.read(ctx.http(), server.base()).path("tasks");
        JsonNode totals = tasks.path("totals");
        Result r = new Result(rate, llm.calls(), llm.eligible(), llm.callsByModel(), llm.injected(), replies,
                new TreeMap<>(memoryStatuses), failedPaths.get(), badBodies.get(), totals.path("retried").asLong(),
                totals.path("failed").asLong(), totals.path("dead").asLong(), tasks.path("dead_letters").size(),
                totals.path("in_outbox").asLong(), drained, back.getOrDefault(200, 0) == recovery, first.get());
        ctx.progress("llm faults: %d calls %s, %d failures injected %s, replies %s, %d failed memory paths, "
                + "%d retries, %d tasks failed, %d dead", r.llmCalls(), r.callsByModel(), r.injectedTotal(), r.injected(),
                replies, r.failedMemoryPaths(), r.retried(), r.failedTasks(), r.dead());
        return r;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** One phase: {@code messages} messages, a quarter as many memories and searches; returns reply statuses. */
    private Map<Integer, Integer> phase(String name, URI base, int messages, int concurrency, boolean replyMayFail)
            throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        int total = messages + messages / 2;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new java.util.ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        call(name, base, i, messages, statuses, replyMayFail);
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) f.get();
        }
        return new TreeMap<>(statuses);
    }

    private void call(String phase, URI base, int i, int messages, Map<Integer, Integer> statuses, boolean replyMayFail)
            throws InterruptedException {
        String chat = "llm-" + (i % 6);
        try {
            if (i < messages) {
                ChaosHttp.Response r = ctx.http().post(base.resolve("/api/message"), "{\"chat_id\": \"" + chat
                        + "\", \"message_id\": \"" + phase + "-" + i + "\", \"message\": \"记住：我的第" + i
                        + "个包裹寄到了杭州西湖区，取件码是 " + (1000 + i) + "\"}", TIMEOUT);
                statuses.merge(r.status(), 1, Integer::sum);
                judgeReply(phase, r, replyMayFail);
            } else if (i % 2 == 0) {
                ChaosHttp.Response r = ctx.http().post(base.resolve("/api/memory"), "{\"chat_id\": \"" + chat
                        + "\", \"content\": \"记住：" + phase + " 第" + i + "条，周三下午三点开会\"}", TIMEOUT);
                if (r.status() != 202) fail(phase + ": POST /api/memory answered " + r.status() + ": " + r.body());
            } else {
                ChaosHttp.Response r = RecallAudit.search(ctx.http(), base, chat, "包裹 取件码");
                if (r.status() != 200) fail(phase + ": search answered " + r.status() + ": " + r.body());
            }
        } catch (IOException e) {
            fail(phase + ": request " + i + " failed: " + e);
        }
    }

    private void judgeReply(String phase, ChaosHttp.Response r, boolean replyMayFail) {
        if (r.status() == 200) {
            String ms = r.json().path("memory_status").asText("");
            memoryStatuses.merge(ms, 1, Integer::sum);
            if (!MEMORY_STATUSES.contains(ms)) fail(phase + ": reply with memory_status " + ms);
            return;
        }
        boolean replyModelError = r.status() == 502 || r.status() == 504;
        if (replyModelError) {
            String code = r.json().path("error").asText("");
            if (!code.equals("reply_failed") && !code.equals("reply_timeout")) {
                badBodies.incrementAndGet();
                fail(phase + ": " + r.status() + " without a JSON error body: " + r.body());
                return;
            }
            if (replyMayFail) return;
        }
        fail(phase + ": reply answered " + r.status() + ": " + r.body());
    }

    private void fail(String what) {
        failedPaths.incrementAndGet();
        first.compareAndSet(null, what);
    }
}
