package dev.engram.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Rounds of "start a server on the same data directory, deliver again what is in doubt, load it with
 * messages and memories, stop it the hard way", then one last start that drains the outbox and searches
 * every acknowledged item. After each stop the database is audited read-only ({@link DbAudit}); at the
 * end every acknowledged item must be in the database exactly once and searchable ({@link RecallAudit}).
 * The stop is SIGKILL ({@link Stop#KILL}) or SIGTERM ({@link Stop#TERM}: drain, exit 0 or 143, no fatal-error report).
 * The load starts as soon as the port answers (the memory side may still load: intake is durable then); the stop
 * comes after the round's load time counted from the memory side up, so it hits a running engine, except in every
 * {@value #STOP_WHILE_STARTING}th SIGTERM round, which signals half a second after the port opened, while the model,
 * index and graph still load.
 */
final class ServerRounds {
    enum Stop { KILL, TERM }

    /**
     * @param rounds        rounds run (fewer than asked only when the time budget ran out)
     * @param acknowledged  items acknowledged with a 2xx
     * @param lost          acknowledged items missing from the database or from recall at the end
     * @param unsearchable  of those, items stored but never found by search
     * @param duplicated    items stored more than once
     * @param redelivered   messages in doubt sent again with the same message_id after a restart
     * @param crashes       stops that left a JVM fatal-error report
     * @param exitCodes     exit code → stops (SIGTERM only; -1 = did not exit within 60 s)
     * @param maxStopMs     longest time from the signal to the exit
     * @param drained       whether the outbox drained before the final recall audit
     * @param firstProblem  the first lost or duplicated item, or null
     */
    record Result(int rounds, int acknowledged, int lost, int unsearchable, int duplicated, int redelivered,
                  int crashes, Map<Integer, Integer> exitCodes, long maxStopMs, boolean drained, String firstProblem) {
    }

    /** A round's load lasts until at least this many items were acknowledged (a cold server answers slowly). */
    private static final int MIN_ACKS_PER_ROUND = 5;
    /** Every this many-th SIGTERM round signals while the memory side still loads (model load in progress). */
    static final int STOP_WHILE_STARTING = 4;
    /** The load of such a round, from the port's opening to the signal. */
    private static final int STARTING_LOAD_MS = 500;

    private final ChaosContext ctx;
    private final Stop stop;
    private final String dir;
    private final Ledger ledger;
    private final SplittableRandom random;

    ServerRounds(ChaosContext ctx, Stop stop) {
        this.ctx = ctx;
        this.stop = stop;
        this.dir = stop == Stop.KILL ? "kill" : "sigterm";
        this.ledger = new Ledger(ctx.seed() ^ stop.ordinal());
        this.random = new SplittableRandom(ctx.seed() + 31L * stop.ordinal());
    }

    /**
     * @param rounds   rounds to run
     * @param loadMs   load per round drawn from [loadMs / 2, loadMs * 3 / 2], longer (at most 20 s) until 5 items
     *                 of the round were acknowledged
     * @param deadline System.nanoTime() after which no new round starts
     */
    Result run(int rounds, int loadMs, long deadline) throws Exception {
        String config = ctx.config(dir, "");
        Path db = ctx.work().resolve(dir).resolve("data").resolve("engram.db");
        Set<String> lost = new HashSet<>();
        int duplicated = 0;
        int redelivered = 0;
        int crashes = 0;
        long maxStopMs = 0;
        Map<Integer, Integer> exitCodes = new TreeMap<>();
        String first = null;
        int done = 0;
        for (; done < rounds && System.nanoTime() < deadline; done++) {
            long lifeStart = System.nanoTime();
            ChildEngram server = ctx.serving(dir, config, dir + "-" + done);
            // every STOP_WHILE_STARTING-th SIGTERM round stops the server while its memory side still loads
            boolean whileStarting = stop == Stop.TERM && done % STOP_WHILE_STARTING == STOP_WHILE_STARTING - 1;
            long readyMs = -1;
            long stopMs;
            try {
                redelivered += redeliver(server);
                // the load starts with the port (intake is durable while the memory side loads); the round's load
                // time counts from the memory side up, so every kill or stop hits a running engine
                LoadClients load = new LoadClients(ctx.http(), ledger, server.base(), done).start(2, 2, 2);
                if (!whileStarting) readyMs = server.awaitReady(ctx.http(), Duration.ofSeconds(120));
                load.awaitLoad(whileStarting ? STARTING_LOAD_MS : loadMs / 2 + random.nextInt(Math.max(1, loadMs)),
                        whileStarting ? 0 : MIN_ACKS_PER_ROUND);
                long signalled = System.nanoTime();
                if (stop == Stop.KILL) {
                    server.kill();
                } else {
                    int code = server.terminate(Duration.ofSeconds(60));
                    exitCodes.merge(code, 1, Integer::sum);
                }
                stopMs = (System.nanoTime() - signalled) / 1_000_000;
                maxStopMs = Math.max(maxStopMs, stopMs);
                load.stop();
                if (stop == Stop.TERM && server.crashed()) {
                    crashes++;
                    ctx.progress("%s round %d: the JVM crashed (fatal-error report in %s)", dir, done,
                            ctx.work().resolve(dir));
                }
            } finally {
                server.close();
            }
            long auditStart = System.nanoTime();
            DbAudit.Result audit = DbAudit.audit(db, ledger);
            lost.addAll(audit.lost());
            duplicated = Math.max(duplicated, audit.duplicated());
            if (first == null) first = audit.firstProblem();
            long now = System.nanoTime();
            ctx.progress("%s round %d: %d acknowledged so far, %d lost, %d duplicated; life %d ms (port %d ms, memory up %s, "
                            + "stop %d ms, audit %d ms)", dir, done, audit.acknowledged(), audit.lost().size(),
                    audit.duplicated(), (now - lifeStart) / 1_000_000, server.healthyMs(),
                    whileStarting ? "- (stopped while starting)" : readyMs + " ms", stopMs, (now - auditStart) / 1_000_000);
        }
        ChildEngram last = ctx.start(dir, config, dir + "-final");
        boolean drained;
        RecallAudit.Result recall;
        try {
            redelivered += redeliver(last);
            drained = ServerStatus.awaitDrained(ctx.http(), last.base(), Duration.ofSeconds(180));
            List<Ledger.Item> acked = ledger.acknowledged();
            recall = RecallAudit.audit(ctx.http(), last.base(), acked, 4);
            int code = last.terminate(Duration.ofSeconds(60));
            if (stop == Stop.TERM && code != 0 && code != 143) exitCodes.merge(code, 1, Integer::sum);
        } finally {
            last.close();
        }
        DbAudit.Result audit = DbAudit.audit(db, ledger);
        lost.addAll(audit.lost());
        duplicated = Math.max(duplicated, audit.duplicated());
        if (first == null) first = audit.firstProblem();
        Set<String> unsearchable = new HashSet<>(recall.unsearchable());
        unsearchable.removeAll(lost);
        lost.addAll(unsearchable);
        if (first == null && recall.firstMissing() != null) first = "unsearchable " + recall.firstMissing();
        ctx.progress("%s: %d rounds, %d acknowledged, %d lost (%d unsearchable), %d duplicated, outbox drained: %s",
                dir, done, audit.acknowledged(), lost.size(), unsearchable.size(), duplicated, drained);
        return new Result(done, audit.acknowledged(), lost.size(), unsearchable.size(), duplicated, redelivered, crashes,
                exitCodes, maxStopMs, drained, first);
    }

    private int redeliver(ChildEngram server) throws InterruptedException {
        return LoadClients.redeliver(ctx.http(), server.base(), ledger);
    }
}
