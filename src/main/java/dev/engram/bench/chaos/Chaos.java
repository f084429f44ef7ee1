package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code engram chaos}: the reliability figures, reproduced on this machine against real {@code engram serve}
 * child processes on loopback ports. Scenarios in order: SIGKILL rounds, SIGTERM rounds, LLM fault
 * injection, cross-chat isolation, fuzzing. Bounded: rounds stop starting once their share of the budget
 * is spent (kill by 30 %, SIGTERM by 60 %), the fuzzer stops sending at the end of the budget, and every child
 * is killed on exit (also on Ctrl-C, by a shutdown hook).
 */
public final class Chaos {
    private Chaos() {
    }

    /** Runs the scenarios of {@code o} and returns the report; {@code out} gets progress and the table. */
    public static ChaosReport run(ChaosOptions o, JvmSpec jvm, PrintStream out) throws Exception {
        long start = System.nanoTime();
        long budget = o.budget().toNanos();
        Path work = o.work() != null ? Files.createDirectories(o.work()) : Files.createTempDirectory("engram-chaos-");
        ServerRounds.Result kill = null;
        ServerRounds.Result sigterm = null;
        LlmFaults.Result llm = null;
        Fuzzer.Result fuzz = null;
        Isolation.Result isolation = null;
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (ChildProcesses children = new ChildProcesses(); ChaosHttp http = new ChaosHttp()) {
            ChaosContext ctx = new ChaosContext(jvm, children, http, work, o.seed(), out, Duration.ofSeconds(120));
            ctx.progress("work directory %s", work);
            long t = System.nanoTime();
            if (o.runs("kill")) {
                kill = new ServerRounds(ctx, ServerRounds.Stop.KILL).run(o.killRounds(), o.roundLoadMs(),
                        start + budget * 3 / 10);
                t = lap(seconds, "kill", t);
            }
            if (o.runs("sigterm")) {
                sigterm = new ServerRounds(ctx, ServerRounds.Stop.TERM).run(o.sigtermRounds(), o.roundLoadMs(),
                        start + budget * 6 / 10);
                t = lap(seconds, "sigterm", t);
            }
            if (o.runs("llm")) {
                llm = new LlmFaults(ctx).run(o.llmFailureRate(), o.llmMessages(), 8);
                t = lap(seconds, "llm", t);
            }
            if (o.runs("isolation") || o.runs("fuzz")) {
                String dir = "probe";
                ChildEngram server = ctx.start(dir, ctx.config(dir, ""), dir);
                try {
                    if (o.runs("isolation")) {
                        isolation = new Isolation(ctx).run(server.base(), o.isolationChats(), 5, 8);
                        t = lap(seconds, "isolation", t);
                    }
                    if (o.runs("fuzz")) {
                        fuzz = new Fuzzer(http, server.base()).run(o.seed(), o.fuzzRequests(), o.fuzzConcurrency(),
                                start + budget - Duration.ofSeconds(15).toNanos());
                        ctx.progress("fuzz: %d requests in %.0f s, statuses %s, %d 5xx, %d hangs", fuzz.requests(),
                                fuzz.seconds(), fuzz.statuses(), fuzz.fiveXx(), fuzz.hangs());
                        fuzz.examples().forEach(e -> ctx.progress("fuzz example: %s", e));
                        lap(seconds, "fuzz", t);
                    }
                } finally {
                    server.close();
                }
            }
        } finally {
            if (!o.keepWork() && o.work() == null) delete(work);
        }
        ChaosReport report = new ChaosReport(o, kill, sigterm, llm, fuzz, isolation, seconds,
                (System.nanoTime() - start) / 1e9);
        out.println();
        out.print(report.table());
        return report;
    }

    /** Writes the report's document as JSON. */
    public static void write(ChaosReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report.document());
    }

    private static long lap(Map<String, Double> seconds, String scenario, long since) {
        long now = System.nanoTime();
        seconds.put(scenario, Math.round((now - since) / 1e8) / 10.0);
        return now;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
