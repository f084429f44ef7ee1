package dev.engram.bench.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.engram.bench.chaos.ChaosHttp;
import dev.engram.bench.chaos.ChildEngram;
import dev.engram.bench.chaos.ChildProcesses;
import dev.engram.bench.chaos.JvmSpec;

/**
 * {@code engram bench cluster}: PostgreSQL and N {@code engram serve} child processes in cluster mode on this
 * machine. Phase one runs the traffic against a single instance (its own database) for the reference
 * reply-path memory latency; phase two spreads the same traffic over N instances sharing one database,
 * SIGKILLs the last instance mid-run, probes cross-instance time-to-visibility throughout, and afterwards
 * accounts for every acknowledged item (stored exactly once, searchable on every survivor) and for how long
 * the dead instance's claimed work took to move.
 */
public final class ClusterBench {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PROBE_EVERY = Duration.ofMillis(250);

    private final ClusterBenchOptions o;
    private final JvmSpec jvm;
    private final PrintStream out;
    private final String user;
    private final String password;

    private ClusterBench(ClusterBenchOptions o, JvmSpec jvm, String user, String password, PrintStream out) {
        this.o = o;
        this.jvm = jvm;
        this.user = user;
        this.password = password;
        this.out = out;
    }

    /**
     * Runs both phases; returns the result (also written to {@code out/cluster-result.json} when asked).
     *
     * @param user     role for {@code --postgres-url} (null: the driver's default); unused for a private server
     * @param password its password, or null
     */
    public static Map<String, Object> run(ClusterBenchOptions options, JvmSpec jvm, String user, String password,
                                          PrintStream out) throws Exception {
        return new ClusterBench(options, jvm, user, password, out).run();
    }

    private Map<String, Object> run() throws Exception {
        Path work = o.work().orElse(Files.createTempDirectory("engram-cluster-"));
        Files.createDirectories(work);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ChildProcesses children = new ChildProcesses(); ChaosHttp http = new ChaosHttp();
             PostgresServer pg = postgres(work)) {
            progress("single instance, %d s at %d items/s", o.measured().toSeconds(), o.rate());
            Phase single = phase(pg, children, http, work, "single", 1, false);
            progress("cluster of %d instances, %d s at %d items/s, SIGKILL of instance %d after %d s", o.instances(),
                    o.measured().toSeconds(), o.rate(), o.instances() - 1, o.killAt().toSeconds());
            Phase cluster = phase(pg, children, http, work, "cluster", o.instances(), true);
            Map<String, Object> result = result(single, cluster);
            if (o.out().isPresent()) {
                Files.createDirectories(o.out().get());
                Path file = o.out().get().resolve("cluster-result.json");
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
                progress("wrote %s", file);
            }
            return result;
        } finally {
            if (o.work().isEmpty()) deleteTree(work);
        }
    }

    /** What one phase measured. */
    private record Phase(int instances, int[] sent, int[] acked, int failed, List<Double> memoryMs, List<Double> visibilityMs,
                         int visibilityMissed, ClusterAudit.Result audit, double loadSeconds, double reclaimMs,
                         long claimedAtKill) {
    }

    private Phase phase(PostgresServer pg, ChildProcesses children, ChaosHttp http, Path work, String name, int n,
                        boolean kill) throws Exception {
        String db = "engram_bench_" + name + "_" + ProcessHandle.current().pid();
        String url = pg.createDatabase(db);
        List<ChildEngram> instances = new ArrayList<>();
        AtomicReferenceArray<Boolean> alive = new AtomicReferenceArray<>(n);
        try {
            for (int i = 0; i < n; i++) {
                instances.add(ChildEngram.start(jvm, children, http, work.resolve(name + "-" + i), config(url, name, i),
                        "engram", START_TIMEOUT, env(pg)));
                alive.set(i, true);
                progress("  %s-%d listening at %s", name, i, instances.get(i).base());
            }
            List<URI> bases = instances.stream().map(ChildEngram::base).toList();
            ClusterLedger ledger = new ClusterLedger(o.seed());
            ClusterTraffic traffic = new ClusterTraffic(http, bases, alive::get, ledger, o.rate(), o.chats(), name + "-chat-",
                    o.seed() + 1);
            VisibilityProbe probe = n >= 2 ? new VisibilityProbe(http, bases, alive::get, ledger, PROBE_EVERY, o.seed() + 2) : null;
            long trafficStart = System.nanoTime();
            traffic.start();
            Thread.sleep(o.warmup()); // the warm-up load
            traffic.markMeasured();
            if (probe != null) probe.start();
            long claimedAtKill = 0;
            double reclaimMs = -1;
            AtomicLong killedAt = new AtomicLong();
            AtomicLong reclaimed = new AtomicLong(-1);
            Thread reclaimWatch = null;
            String victim = instanceId(name, n - 1);
            if (kill) {
                Thread.sleep(o.killAt()); // the run's schedule: load until the kill
                try (Connection c = pg.connect(url)) {
                    claimedAtKill = ClusterAudit.outbox(c, victim)[1];
                }
                alive.set(n - 1, false);
                traffic.markKilled();
                instances.get(n - 1).kill();
                killedAt.set(System.nanoTime());
                progress("  SIGKILL %s (%d live tasks claimed by it)", victim, claimedAtKill);
                reclaimWatch = Thread.ofVirtual().start(() -> watchReclaim(pg, url, victim, killedAt.get(), reclaimed));
                Thread.sleep(o.measured().minus(o.killAt())); // the rest of the load
            } else {
                Thread.sleep(o.measured()); // the load
            }
            traffic.stop();
            if (probe != null) probe.stop();
            traffic.await();
            double loadSeconds = (System.nanoTime() - trafficStart) / 1e9; // acknowledged items include the warm-up's
            if (reclaimWatch != null) {
                reclaimWatch.join(DRAIN_TIMEOUT.toMillis());
                reclaimWatch.interrupt();
                reclaimMs = reclaimed.get() < 0 ? -1 : reclaimed.get() / 1e6;
            }
            try (Connection c = pg.connect(url)) {
                long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                while (true) {
                    long[] q = ClusterAudit.outbox(c, victim);
                    if (q[0] == 0) break;
                    if (System.nanoTime() > deadline) {
                        progress("  work queue not drained after %s: %d live rows", DRAIN_TIMEOUT, q[0]);
                        break;
                    }
                    Thread.sleep(100); // polling the shared database for the drain
                }
                progress("  drained; auditing %d acknowledged items", ledger.acknowledged().size());
                List<URI> survivors = new ArrayList<>();
                for (int i = 0; i < n; i++) if (alive.get(i)) survivors.add(bases.get(i));
                awaitFeedsQuiet(http, survivors);
                ClusterAudit.Result audit = ClusterAudit.audit(c, ledger, http, survivors, o.indexSample());
                List<Double> memory = ledger.acknowledged().stream().filter(i -> i.measured && i.memoryMs >= 0).map(i -> i.memoryMs).toList();
                return new Phase(n, traffic.sentPerInstance(), traffic.ackedPerInstance(), traffic.failed(), memory,
                        probe == null ? List.of() : probe.samples(), probe == null ? 0 : probe.missed(), audit, loadSeconds,
                        reclaimMs, claimedAtKill);
            }
        } finally {
            for (ChildEngram child : instances) child.close();
        }
    }

    /** Records (into {@code reclaimed}) nanoseconds from the kill until no live task is claimed by {@code victim}. */
    private static void watchReclaim(PostgresServer pg, String url, String victim, long killedAt, AtomicLong reclaimed) {
        try (Connection c = pg.connect(url)) {
            long deadline = killedAt + DRAIN_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (ClusterAudit.outbox(c, victim)[1] == 0) {
                    reclaimed.set(System.nanoTime() - killedAt);
                    return;
                }
                Thread.sleep(50); // polling the shared database for the takeover
            }
        } catch (java.sql.SQLException e) {
            System.err.println("cluster bench: watching the takeover failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the survivors' change feeds a moment to apply the last changes (their status says when they are idle). */
    private void awaitFeedsQuiet(ChaosHttp http, List<URI> survivors) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (URI base : survivors) {
            while (System.nanoTime() < deadline) {
                try {
                    var status = http.get(base.resolve("/api/status"), Duration.ofSeconds(10)).json();
                    var feed = status.path("change_feed");
                    if (feed.isMissingNode() || feed.path("open_gaps").asInt(0) == 0) break;
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(100); // polling another process's status
            }
        }
    }

    private Map<String, Object> result(Phase single, Phase cluster) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("instances", cluster.instances);
        r.put("rate", o.rate());
        r.put("seconds", o.measured().toSeconds());
        r.put("warmup_seconds", o.warmup().toSeconds());
        r.put("acknowledged", cluster.audit.acknowledged());
        r.put("lost", cluster.audit.lost());
        r.put("duplicated", cluster.audit.duplicated());
        r.put("index_checks", cluster.audit.indexChecks());
        r.put("index_missing", cluster.audit.indexMissing());
        if (cluster.audit.firstProblem() != null) r.put("first_problem", cluster.audit.firstProblem());
        r.put("failed_requests", cluster.failed);
        r.put("visibility_ms", percentiles(cluster.visibilityMs));
        r.put("visibility_samples", cluster.visibilityMs.size());
        r.put("visibility_missed", cluster.visibilityMissed);
        r.put("memory_ms", percentiles(cluster.memoryMs));
        r.put("single_instance_memory_ms", percentiles(single.memoryMs));
        r.put("single_instance_acknowledged", single.audit.acknowledged());
        r.put("single_instance_lost", single.audit.lost());
        r.put("single_instance_duplicated", single.audit.duplicated());
        r.put("killed_instance_claimed_tasks", cluster.claimedAtKill);
        r.put("reclaim_ms", Math.round(cluster.reclaimMs));
        r.put("lease_ms", o.lease().toMillis());
        List<Map<String, Object>> per = new ArrayList<>();
        for (int i = 0; i < cluster.instances; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("instance", instanceId("cluster", i));
            p.put("sent", cluster.sent[i]);
            p.put("acknowledged", cluster.acked[i]);
            p.put("per_s", round(cluster.acked[i] / cluster.loadSeconds));
            p.put("killed", i == cluster.instances - 1);
            per.add(p);
        }
        r.put("per_instance", per);
        r.put("total_per_s", round(Arrays.stream(cluster.acked).sum() / cluster.loadSeconds));
        r.put("single_instance_per_s", round(Arrays.stream(single.acked).sum() / single.loadSeconds));
        progress("acknowledged %d, lost %d, duplicated %d, not searchable %d of %d checks; visibility p50 %s p95 %s ms; "
                        + "memory p99 cluster %s vs single %s ms; reclaim %d ms", cluster.audit.acknowledged(), cluster.audit.lost(),
                cluster.audit.duplicated(), cluster.audit.indexMissing(), cluster.audit.indexChecks(),
                percentiles(cluster.visibilityMs).get("p50"), percentiles(cluster.visibilityMs).get("p95"),
                percentiles(cluster.memoryMs).get("p99"), percentiles(single.memoryMs).get("p99"), Math.round(cluster.reclaimMs));
        return r;
    }

    static Map<String, Double> percentiles(List<Double> values) {
        Map<String, Double> p = new LinkedHashMap<>();
        if (values.isEmpty()) return p;
        List<Double> sorted = values.stream().sorted().toList();
        for (double q : new double[] {0.50, 0.95, 0.99}) {
            int idx = (int) Math.ceil(q * sorted.size()) - 1;
            p.put("p" + Math.round(q * 100), round(sorted.get(Math.clamp(idx, 0, sorted.size() - 1))));
        }
        p.put("max", round(sorted.getLast()));
        return p;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private String config(String url, String phase, int i) {
        return """
                [server]
                host = "127.0.0.1"
                port = %%PORT%%
                [storage]
                data_dir = "data"
                url = "%s"
                pool_size = 12
                [cluster]
                enabled = true
                instance_id = "%s"
                lease_ms = %d
                heartbeat_ms = %d
                poll_ms = 200
                """.formatted(url, instanceId(phase, i), o.lease().toMillis(), Math.max(100, o.lease().toMillis() / 5));
    }

    private static String instanceId(String phase, int i) {
        return "bench-" + phase + "-" + i;
    }

    private Map<String, String> env(PostgresServer pg) {
        Map<String, String> env = new LinkedHashMap<>();
        if (pg.user() != null) env.put("ENGRAM_DB_USER", pg.user());
        if (pg.password() != null) env.put("ENGRAM_DB_PASSWORD", pg.password());
        return env;
    }

    private PostgresServer postgres(Path work) throws IOException, InterruptedException {
        if (o.postgresUrl().isPresent()) {
            return PostgresServer.external(o.postgresUrl().get(), user, password);
        }
        progress("starting a private PostgreSQL in %s", work.resolve("pg"));
        return PostgresServer.start(work.resolve("pg"));
    }

    private void progress(String format, Object... args) {
        out.printf("bench cluster: " + format + "%n", args);
        out.flush();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cluster bench: cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
