package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;

/**
 * {@code engram chaos --soak MINUTES}: one real {@code engram serve} child on the {@code openai} provider, whose
 * LLM (the fake LLM behind {@link FaultyLlm}) fails a share of every model's calls, under steady message and
 * memory load ({@link SoakLoad}) for the soak's duration, with low {@code tasks.dead_letter_max} and
 * {@code tasks.status_max_entries} and two store attempts so that dead letters pile up and get purged, and
 * finished task statuses get pruned, many times over. Every sample interval a {@link SoakProbe} reads the
 * child's heap after GC, threads, file descriptors, RSS, dead letters and task status rows; {@link SoakReport}
 * judges them. The child is killed on exit (also on Ctrl-C, by the children registry's shutdown hook).
 */
public final class Soak {
    private Soak() {
    }

    /** Runs the soak and returns its report; {@code out} gets progress and the table. */
    public static SoakReport run(SoakOptions o, JvmSpec jvm, PrintStream out) throws Exception {
        long begin = System.nanoTime();
        Path work = o.work() != null ? Files.createDirectories(o.work()) : Files.createTempDirectory("engram-soak-");
        try (ChildProcesses children = new ChildProcesses(); ChaosHttp http = new ChaosHttp();
             FakeLlmServer fake = FakeLlmServer.start(0, FakeLlmProfile.instant());
             FaultyLlm llm = new FaultyLlm(fake, LlmFaults.REPLY_MODEL, o.seed(), Duration.ofSeconds(10))) {
            ChaosContext ctx = new ChaosContext(jvm, children, http, work, o.seed(), out, Duration.ofSeconds(120));
            ctx.progress("soak: work directory %s", work);
            try (ChildEngram server = ctx.start("soak", config(ctx, o).replace("@BASE@", llm.baseUrl().toString()),
                    "soak")) {
                List<String> models = new ArrayList<>(LlmFaults.MEMORY_MODELS);
                models.add(LlmFaults.REPLY_MODEL);
                llm.setFaults(o.llmFailureRate(), java.util.Set.copyOf(models));
                ctx.progress("soak: server pid %d at %s; %.0f %% of LLM calls fail; %.1f requests/s from %d clients "
                        + "over %d chats (%s) for %d s, a sample every %d s", server.pid(), server.base(),
                        o.llmFailureRate() * 100, o.requestsPerSecond(), o.clients(), o.chats(),
                        o.distinct() == 0 ? "every item new" : o.distinct() + " texts per chat", o.duration().toSeconds(),
                        o.sampleInterval().toSeconds());
                SoakLoad load = new SoakLoad(http, server.base(), o.requestsPerSecond(), o.clients(), o.chats(),
                        o.distinct(), o.seed())
                        .start(o.clients(), new SplittableRandom(o.seed()));
                SoakProbe probe = new SoakProbe(ctx, server, work.resolve("soak").resolve("data").resolve("engram.db"));
                List<SoakSample> samples;
                boolean up;
                try {
                    samples = sample(ctx, server, probe, load, llm, o);
                    up = server.alive();
                } finally {
                    load.stop();
                }
                long deadLettered = up ? deadLettered(ctx, server) : -1;
                SoakReport report = new SoakReport(o, samples, load.statuses(), load.ioErrors(), llm.calls(),
                        llm.injected(), deadLettered, up, (System.nanoTime() - begin) / 1e9);
                if (!up) ctx.progress("soak: the server died; its console ends with:%n%s", server.tail(4_000));
                out.println();
                out.print(report.table());
                return report;
            }
        } finally {
            if (!o.keepWork() && o.work() == null) delete(work);
        }
    }

    /** The child's config: LLM through the faulty front, small dead-letter and status bounds, two store attempts. */
    static String config(ChaosContext ctx, SoakOptions o) {
        return ctx.config("soak", LlmFaults.FAULTY_LLM_CONFIG + """
                [tasks]
                dead_letter_max = %d
                status_max_entries = %d
                [tasks.store]
                max_attempts = 2
                backoff_base_ms = 200
                backoff_max_ms = 1000
                """.formatted(o.deadLetterMax(), o.statusMaxEntries()));
    }

    /** Samples at every interval until the duration has passed or the server is gone. */
    private static List<SoakSample> sample(ChaosContext ctx, ChildEngram server, SoakProbe probe, SoakLoad load,
                                           FaultyLlm llm, SoakOptions o) throws InterruptedException {
        List<SoakSample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long interval = o.sampleInterval().toNanos();
        long n = o.duration().toNanos() / interval;
        for (long k = 1; k <= n; k++) {
            long due = start + k * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait); // the next sample is due then
            }
            if (!server.alive()) break;
            try {
                SoakSample s = probe.sample((System.nanoTime() - start) / 1e9, load, llm);
                samples.add(s);
                ctx.progress("soak %5.0f s: heap after GC %.1f MB, threads %d, fds %d, RSS %.1f MB, dead letters %d, "
                        + "task records %d, outbox %d, %d of %d requests 2xx, %d LLM failures", s.tS(), s.heapAfterGcMb(),
                        s.threads(), s.openFds(), s.rssMb(), s.deadLetters(), s.taskRecords(), s.outbox(),
                        s.acknowledged(), s.sent(), s.llmFailures());
            } catch (IOException | SQLException e) {
                ctx.progress("soak: sample %d failed: %s", k, e);
            }
        }
        return samples;
    }

    /** @return tasks dead-lettered or failed for good since the server started (purged ones included) */
    private static long deadLettered(ChaosContext ctx, ChildEngram server) {
        try {
            JsonNode totals = ServerStatus.read(ctx.http(), server.base()).path("tasks").path("totals");
            return totals.path("dead").asLong() + totals.path("failed").asLong();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Writes the report's document as JSON (snake-case keys, samples included). */
    public static void write(SoakReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report.document());
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
