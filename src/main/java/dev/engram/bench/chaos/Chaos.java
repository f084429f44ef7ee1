package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code engram chaos}: the reliability figures, reproduced on this machine against real {@code engram serve}
 * child processes on loopback ports. Scenarios in order: SIGKILL and SIGTERM rounds (side by side, while the
 * servers of the later scenarios start), the opt-in hot-chat rounds ({@link HotChat}), LLM fault injection,
 * cross-chat isolation, fuzzing. Bounded: rounds stop starting once half the budget is spent (hot-chat rounds:
 * nine tenths), the fuzzer stops sending 15 s before the end of the budget, and every child
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
        HotChat.Result hotChat = null;
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (ChildProcesses children = new ChildProcesses(); ChaosHttp http = new ChaosHttp()) {
            ChaosContext ctx = new ChaosContext(jvm, children, http, work, o.seed(), out, Duration.ofSeconds(120));
            ctx.progress("work directory %s", work);
            long t = System.nanoTime();
            // the two kinds of rounds run side by side (own data directories and ledgers), and the servers of the
            // later scenarios start meanwhile: most of the rounds' time is child JVMs starting, which leaves the
            // other core idle; the rounds' accounting is exact however slow the machine is
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                Future<LlmFaults.Setup> llmSetup = o.runs("llm") ? pool.submit(() -> LlmFaults.start(ctx)) : null;
                Future<ChildEngram> probeStart = o.runs("isolation") || o.runs("fuzz")
                        ? pool.submit(() -> ctx.start("probe", ctx.config("probe", ""), "probe")) : null;
                try {
                    Future<ServerRounds.Result> killing = o.runs("kill") ? pool.submit(() -> new ServerRounds(ctx,
                            ServerRounds.Stop.KILL).run(o.killRounds(), o.roundLoadMs(), start + budget * 5 / 10)) : null;
                    Future<ServerRounds.Result> terminating = o.runs("sigterm") ? pool.submit(() -> new ServerRounds(ctx,
                            ServerRounds.Stop.TERM).run(o.sigtermRounds(), o.roundLoadMs(), start + budget * 5 / 10))
                            : null;
                    kill = killing == null ? null : killing.get();
                    sigterm = terminating == null ? null : terminating.get();
                    if (kill != null || sigterm != null) t = lap(seconds, "kill_and_sigterm", t);
                    if (o.runs("hotchat")) {
                        hotChat = new HotChat(ctx).run(o.hotChatRounds(), o.hotChatLoadMs(), start + budget * 9 / 10);
                        t = lap(seconds, "hotchat", t);
                    }
                    if (llmSetup != null) {
                        try (LlmFaults.Setup setup = llmSetup.get()) {
                            llm = new LlmFaults(ctx).run(setup, o.llmFailureRate(), o.llmMessages(), 8);
                        }
                        llmSetup = null;
                        t = lap(seconds, "llm", t);
                    }
                    if (probeStart != null) {
                        try (ChildEngram server = probeStart.get()) {
                            if (o.runs("isolation")) {
                                isolation = new Isolation(ctx).run(server.base(), o.isolationChats(), 5, 8);
                                t = lap(seconds, "isolation", t);
                            }
                            if (o.runs("fuzz")) {
                                fuzz = new Fuzzer(http, server.base()).run(o.seed(), o.fuzzRequests(),
                                        o.fuzzConcurrency(), start + budget - Duration.ofSeconds(15).toNanos());
                                ctx.progress("fuzz: %d requests in %.0f s, statuses %s, %d 5xx, %d hangs",
                                        fuzz.requests(), fuzz.seconds(), fuzz.statuses(), fuzz.fiveXx(), fuzz.hangs());
                                fuzz.examples().forEach(e -> ctx.progress("fuzz example: %s", e));
                                lap(seconds, "fuzz", t);
                            }
                        }
                        probeStart = null;
                    }
                } finally {
                    closeQuietly(llmSetup);
                    closeQuietly(probeStart);
                }
            }
        } finally {
            if (!o.keepWork() && o.work() == null) delete(work);
        }
        ChaosReport report = new ChaosReport(o, kill, sigterm, llm, fuzz, isolation, hotChat, seconds,
                (System.nanoTime() - start) / 1e9);
        out.println();
        out.print(report.hotChatTable());
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

    /** Closes what a start that was not used yielded (the children registry kills the processes anyway). */
    private static void closeQuietly(Future<? extends AutoCloseable> started) {
        if (started == null) return;
        try {
            started.get().close();
        } catch (Exception e) {
            // the start failed or its resource is gone: nothing to close
        }
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
