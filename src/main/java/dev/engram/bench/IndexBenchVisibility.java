package dev.engram.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.Storage;

/**
 * The live phase of {@link IndexBench}: messages arrive at a steady rate across several chats, are
 * appended to the message log and indexed by one sequential worker per chat (the ingest lane's
 * per-chat FIFO order), with real embeddings. Time-to-visibility runs from a message's scheduled
 * arrival to the return of {@code indexMessages}, after which the message is searchable; every
 * tenth message is checked by a lexical search for its unique token. Meanwhile a prober recalls
 * from the big chat every 100 ms. Not thread-safe (one run at a time).
 */
final class IndexBenchVisibility {
    private record Arrival(int number, ChatMessage message, long arrivalNanos) {
    }

    private static final Arrival STOP = new Arrival(-1, null, 0);

    private IndexBenchVisibility() {
    }

    static IndexBench.Live run(LuceneMemoryIndex index, Storage storage, IndexBenchCorpus corpus, String bigChat,
                       int rate, int seconds, int chats, int topK, long seed) throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] ttv = new long[total];
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger notVisible = new AtomicInteger();
        List<LinkedBlockingQueue<Arrival>> queues = new ArrayList<>();
        for (int c = 0; c < chats; c++) queues.add(new LinkedBlockingQueue<>());
        long[] vectorProbe = new long[seconds * 20 + 100];
        long[] lexicalProbe = new long[vectorProbe.length];
        AtomicInteger probes = new AtomicInteger();
        AtomicBoolean producing = new AtomicBoolean(true);
        Random random = new Random(seed);
        String run = IndexBenchCorpus.runName(new Random(System.nanoTime()));
        List<Future<Void>> tasks = new ArrayList<>();
        long start;
        long end;
        long cpuBefore;
        try (ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-ingest-", 0).factory())) {
            for (LinkedBlockingQueue<Arrival> queue : queues) {
                tasks.add(workers.submit(() -> {
                    for (Arrival a; (a = queue.take()) != STOP; ) {
                        index.indexMessages(List.of(a.message()));
                        ttv[a.number()] = System.nanoTime() - a.arrivalNanos();
                        if (a.number() % 10 == 0) {
                            checked.incrementAndGet();
                            if (!visible(index.lexicalSource(), a, run)) notVisible.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            tasks.add(workers.submit(() -> {
                List<String> queries = corpus.queries();
                for (int i = 0; producing.get() && i < vectorProbe.length; i++) {
                    String q = queries.get(i % queries.size());
                    long t0 = System.nanoTime();
                    index.vectorSource().search(bigChat, q, topK, Instant.MAX);
                    long t1 = System.nanoTime();
                    index.lexicalSource().search(bigChat, q, topK, Instant.MAX);
                    vectorProbe[i] = t1 - t0;
                    lexicalProbe[i] = System.nanoTime() - t1;
                    probes.incrementAndGet();
                    LockSupport.parkNanos(100_000_000L);
                }
                return null;
            }));
            cpuBefore = processCpuNanos();
            start = System.nanoTime() + 50_000_000L;
            try {
                for (int i = 0; i < total; i++) {
                    long target = start + i * period;
                    long wait = target - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                    String chat = "live-" + (i % chats);
                    ChatMessage m = storage.messages().append(NewMessage.user(chat, "u" + i % 7, null,
                            corpus.liveMessage(i, run, random), Instant.now()));
                    queues.get(i % chats).put(new Arrival(i, m, target));
                }
            } finally {
                end = System.nanoTime();
                producing.set(false);
                for (LinkedBlockingQueue<Arrival> queue : queues) queue.put(STOP); // also when producing failed
            }
        }
        for (Future<Void> task : tasks) {
            try {
                task.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("live phase failed", e.getCause());
            }
        }
        double cpuPerMessageMs = (processCpuNanos() - cpuBefore) / 1e6 / Math.max(1, total);
        double achieved = total / ((end - start) / 1e9);
        int n = probes.get();
        return new IndexBench.Live(IndexBenchLatency.of(ttv, total), IndexBenchLatency.of(vectorProbe, n),
                IndexBenchLatency.of(lexicalProbe, n), total, checked.get(), notVisible.get(), achieved, cpuPerMessageMs);
    }

    /** CPU time used by this whole process so far (every thread, including ONNX Runtime's native ones). */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static boolean visible(MemorySource lexical, Arrival a, String run) throws Exception {
        String token = IndexBenchCorpus.token(a.number(), run);
        String key = "m:" + a.message().id();
        return lexical.search(a.message().chatId(), token, 5, Instant.MAX).stream().map(Candidate::key).anyMatch(key::equals);
    }
}
