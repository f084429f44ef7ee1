package dev.engram.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.engram.bench.EngineBench;
import dev.engram.bench.EngineBenchOptions;
import dev.engram.bench.EngineBenchResult;
import dev.engram.bench.IndexBench;
import dev.engram.bench.LoadBench;
import dev.engram.bench.LoadBenchOptions;
import dev.engram.bench.ProxyBench;
import dev.engram.bench.store.StoreBench;
import dev.engram.bench.store.StoreBenchOptions;
import dev.engram.config.TasksConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engram bench}: benchmarks of single parts, run on this machine with printed figures. Fields and
 * method signatures here use no bench type, so building the command line (as {@code serve} does) loads
 * no bench class; only running a benchmark does.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load benchmark, async vs blocking, over HTTP against a fake LLM (sub-commands: engine, index, proxy, cluster, store).",
        subcommands = {BenchCommand.Engine.class, BenchCommand.Index.class, BenchCommand.Proxy.class,
                BenchCommand.Cluster.class, BenchCommand.Store.class})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "50", description = "Concurrent users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--chats", defaultValue = "10", description = "Chats (default ${DEFAULT-VALUE}).")
    int chats;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds per mode (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds per mode (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--failure-rate", defaultValue = "0", description = "Share of LLM calls failing with 500.")
    double failureRate;

    @Option(names = "--data", description = "Messages to send (LoCoMo format; default: the dev set shipped with Engram).")
    Path data;

    @Option(names = "--out", description = "Directory for bench-result.json and bench-report.html.")
    Path out;

    @Override
    public Integer call() throws Exception {
        LoadBenchOptions d = LoadBenchOptions.defaults(data);
        LoadBench.run(new LoadBenchOptions(users, chats, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup),
                d.think(), d.replyMean(), d.replySd(), d.memoryMin(), d.memoryMax(), d.buildAt(), failureRate, data, out),
                BenchServers::start, System.out);
        return 0;
    }

    /** {@code engram bench engine}: task engine throughput and submit-to-start latency with no-op handlers. */
    @Command(name = "engine", mixinStandardHelpOptions = true,
            description = "Task engine with no-op handlers: throughput and submit-to-start latency.")
    static final class Engine implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--mix", defaultValue = "IN_MEMORY",
                description = "IN_MEMORY (scheduling only) or DURABLE (stores through the SQLite outbox); default ${DEFAULT-VALUE}.")
        String mix; // parsed in call(): an enum-typed field would load the bench's enum with the command line

        @Option(names = "--tasks", defaultValue = "200000", description = "Tasks of the throughput phase.")
        int tasks;

        @Option(names = "--rate", defaultValue = "2000", description = "Tasks per second in the latency phase.")
        int rate;

        @Option(names = "--seconds", defaultValue = "5", description = "Length of the latency phase.")
        int seconds;

        @Override
        public Integer call() {
            EngineBenchOptions.Mix parsed;
            try {
                parsed = EngineBenchOptions.Mix.valueOf(mix.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "Invalid value for option '--mix': expected IN_MEMORY or DURABLE but was '" + mix + "'");
            }
            EngineBenchOptions d = EngineBenchOptions.defaults(parsed);
            EngineBenchResult r = EngineBench.run(new EngineBenchOptions(parsed, tasks, d.submitters(), d.chats(), rate,
                    Duration.ofSeconds(seconds), Math.min(d.warmupTasks(), tasks), null),
                    Settings.tasks(TasksConfig.DEFAULTS), System.out);
            return r.meetsTargets() ? 0 : 1;
        }
    }

    /** {@code engram bench store}: the sustained capacity of the whole store pipeline. */
    @Command(name = "store", mixinStandardHelpOptions = true,
            description = "Store pipeline capacity: messages/s from intake until searchable, during and after intake.")
    static final class Store implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--messages", defaultValue = "2000", description = "User messages to send (default ${DEFAULT-VALUE}).")
        int messages;

        @Option(names = "--chats", defaultValue = "8", description = "Chats (default ${DEFAULT-VALUE}).")
        int chats;

        @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--timeout-seconds", defaultValue = "900",
                description = "Longest wait for the pipeline to drain after intake (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--data", description = "Messages to send (LoCoMo format; default: the dev set shipped with Engram).")
        Path data;

        @Option(names = "--out", description = "Directory for store-result.json.")
        Path out;

        @Option(names = "--compare-unbatched",
                description = "Run the traffic again with batching off (outbox writes, index refreshes and commits one by one) and report the gain.")
        boolean compareUnbatched;

        @Override
        public Integer call() throws Exception {
            StoreBenchOptions o;
            try {
                o = new StoreBenchOptions(messages, chats, clients, Duration.ofSeconds(timeoutSeconds), data, out,
                        compareUnbatched);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return StoreBench.run(o, BenchServers::start, System.out).drained() ? 0 : 1;
        }
    }

    /** {@code engram bench index}: recall latency over a large index and time-to-visibility under load. */
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Vector/lexical recall latency with many memories in one chat, and time-to-visibility.")
    static final class Index implements Callable<Integer> {
        @Option(names = "--memories", defaultValue = "100000", description = "Memories in the benchmark chat.")
        int memories;

        @Option(names = "--data-dir", description = "Keep the index here (a second run reuses it).")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            IndexBench.Options d = IndexBench.Options.defaults();
            IndexBench.Result r = IndexBench.run(new IndexBench.Options(memories, d.sentences(), d.queries(), d.warmup(),
                    d.rate(), d.seconds(), d.chats(), d.topK(), d.cpuThreads(), d.model(), dataDir, d.seed()), System.out);
            return r.passed() ? 0 : 1;
        }
    }

    /** {@code engram bench proxy}: what the OpenAI-compatible proxy adds over calling the upstream directly. */
    @Command(name = "proxy", mixinStandardHelpOptions = true,
            description = "OpenAI-compatible proxy: p50/p99 direct vs through Engram, and time to the first streamed event.")
    static final class Proxy implements Callable<Integer> {
        @Option(names = "--requests", defaultValue = "500", description = "Measured calls per series (default ${DEFAULT-VALUE}).")
        int requests;

        @Option(names = "--warmup", defaultValue = "100", description = "Warm-up calls per series (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--upstream-ms", defaultValue = "20", description = "The fake upstream's latency (default ${DEFAULT-VALUE}).")
        int upstreamMs;

        @Option(names = "--pause-ms", defaultValue = "100",
                description = "Idle time after each round of four calls (default ${DEFAULT-VALUE}).")
        int pauseMs;

        @Option(names = "--no-memory", description = "Run Engram with memory.enable_memory = false (the proxy's plumbing alone).")
        boolean noMemory;

        @Option(names = "--out", description = "Directory for proxy-result.json.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ProxyBench.Options d = ProxyBench.Options.defaults();
            ProxyBench.Result r = ProxyBench.run(new ProxyBench.Options(requests, warmup, Duration.ofMillis(upstreamMs),
                    d.chunks(), d.chunkInterval(), d.chats(), Duration.ofMillis(pauseMs), !noMemory, out), BenchServers::start,
                    System.out);
            return r.passed() ? 0 : 1;
        }
    }

    /** {@code engram bench cluster}: N instances on one PostgreSQL, one SIGKILLed mid-run (issue 12's figures). */
    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = "Cluster on one PostgreSQL: per-instance and total throughput, reply-path memory latency vs one "
                    + "instance, cross-instance time-to-visibility, SIGKILL of one instance and the accounting of every "
                    + "acknowledged item. Starts a private PostgreSQL from the Debian binaries unless --postgres-url is given.")
    static final class Cluster implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--instances", defaultValue = "3", description = "Instances of the cluster phase (default ${DEFAULT-VALUE}).")
        int instances;

        @Option(names = "--rate", defaultValue = "100", description = "Items per second, all instances together (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--chats", defaultValue = "30", description = "Chats the items are spread over (default ${DEFAULT-VALUE}).")
        int chats;

        @Option(names = "--warmup-seconds", defaultValue = "10", description = "Unmeasured load before each phase (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--seconds", defaultValue = "30", description = "Measured load per phase in seconds (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--kill-at-seconds", defaultValue = "12", description = "SIGKILL of the last instance this far into the cluster load (default ${DEFAULT-VALUE}).")
        int killAt;

        @Option(names = "--lease-ms", defaultValue = "5000", description = "[cluster] lease_ms of the instances (default ${DEFAULT-VALUE}).")
        int leaseMs;

        @Option(names = "--index-sample", defaultValue = "300", description = "Acknowledged messages searched for on every survivor (default ${DEFAULT-VALUE}).")
        int indexSample;

        @Option(names = "--postgres-url", description = "Use this PostgreSQL (user/password from ENGRAM_DB_USER / ENGRAM_DB_PASSWORD) instead of a private one.")
        String postgresUrl;

        @Option(names = "--work-dir", description = "Keep the instances' data and consoles here (default: a temporary directory, deleted).")
        Path work;

        @Option(names = "--out", description = "Directory for cluster-result.json.")
        Path out;

        @Option(names = "--seed", defaultValue = "12", description = "Seed of the traffic (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            dev.engram.bench.cluster.ClusterBenchOptions options;
            try {
                options = new dev.engram.bench.cluster.ClusterBenchOptions(instances, rate, chats, Duration.ofSeconds(warmup),
                        Duration.ofSeconds(seconds),
                        Duration.ofSeconds(killAt), Duration.ofMillis(leaseMs), indexSample,
                        java.util.Optional.ofNullable(postgresUrl), java.util.Optional.ofNullable(work),
                        java.util.Optional.ofNullable(out), seed);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            java.util.Map<String, Object> r = dev.engram.bench.cluster.ClusterBench.run(options,
                    dev.engram.bench.chaos.JvmSpec.current(Main.class.getName()), System.getenv("ENGRAM_DB_USER"),
                    System.getenv("ENGRAM_DB_PASSWORD"), System.out);
            boolean clean = ((Number) r.get("lost")).intValue() == 0 && ((Number) r.get("duplicated")).intValue() == 0
                    && ((Number) r.get("index_missing")).intValue() == 0;
            return clean ? 0 : 1;
        }
    }
}
