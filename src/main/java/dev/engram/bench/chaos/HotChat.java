package dev.engram.bench.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The hot-chat scenario of the reliability issue: one chat lagging behind the others (16 message clients on
 * it, 3 message clients over 8 other chats and 1 memory client), SIGKILL while the hot chat has a store
 * backlog, restart on the same data directory. Each round times the restart to the first {@code /health}
 * answer (any 200 state, usually {@code catching_up}) and to {@code ok}, waits for the outbox to drain, then
 * audits: every acknowledged item in the database exactly once ({@link DbAudit}) and every item acknowledged
 * since the last audit found by search in its chat ({@link RecallAudit}). One data directory and one
 * {@link Ledger} for all rounds; the restarted server of a round is the loaded server of the next.
 */
final class HotChat {
    /** Message clients on the hot chat, message clients over the other chats, memory clients. */
    static final int HOT_CLIENTS = 16;
    static final int SPREAD_CLIENTS = 3;
    static final int MEMORY_CLIENTS = 1;
    /** After its load time a round waits at most this long for a hot-chat backlog before it kills anyway. */
    private static final Duration BACKLOG_WAIT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final String DIR = "hotchat";

    /**
     * One round.
     *
     * @param acknowledged     items acknowledged in this round (load and redelivery)
     * @param lost             acknowledged items of any round found missing from the database after this kill
     *                         (new ones only)
     * @param duplicated       items stored more than once, new in this round
     * @param unsearchable     items acknowledged since the last audit and not found by search once the outbox drained
     * @param hotBacklog       live store tasks of the hot chat in the outbox at the kill (read from the database
     *                         after the process died)
     * @param otherBacklog     the same for all other chats together
     * @param outboxLive       {@code store_pipeline.outbox_live} of {@code /api/status} just before the kill
     * @param lagSeconds       {@code store_pipeline.visibility_lag_s} just before the kill
     * @param loadMs           time from the load's start to the kill
     * @param healthMs         restart (process start) to the first 200 of {@code /health}
     * @param firstHealth      the status of that answer
     * @param okMs             restart to {@code /health} {@code ok} (-1: not within 180 s)
     * @param drainMs          restart to the outbox drained (-1: not within 180 s)
     */
    record Round(int round, int acknowledged, int lost, int duplicated, int unsearchable, long hotBacklog,
                 long otherBacklog, long outboxLive, double lagSeconds, long loadMs, long healthMs, String firstHealth,
                 long okMs, long drainMs) {
    }

    /**
     * The scenario's figures.
     *
     * @param asked        rounds asked for
     * @param acknowledged items acknowledged in all rounds
     * @param lost         acknowledged items missing from the database at the end or after any kill
     * @param unsearchable acknowledged items not found by search after their round's drain, or in the final search
     * @param firstProblem the first lost, duplicated or unsearchable item, or null
     */
    record Result(int asked, List<Round> rounds, int acknowledged, int lost, int duplicated, int unsearchable,
                  int redelivered, long healthMsMax, long okMsMax, long drainMsMax, long hotBacklogMin,
                  String firstProblem) {
        boolean allDrained() {
            return rounds.stream().allMatch(r -> r.drainMs() >= 0 && r.okMs() >= 0);
        }
    }

    private final ChaosContext ctx;
    private final Ledger ledger;
    private final SplittableRandom random;
    private final Path db;
    private final Set<String> audited = new HashSet<>();
    private final Set<String> lost = new HashSet<>();
    private final Set<String> unsearchable = new HashSet<>();
    private int duplicated;
    private int redelivered;
    private String firstProblem;

    HotChat(ChaosContext ctx) {
        this.ctx = ctx;
        this.ledger = new Ledger(ctx.seed() ^ 0x4807);
        this.random = new SplittableRandom(ctx.seed() + 0x4807);
        this.db = ctx.work().resolve(DIR).resolve("data").resolve("engram.db");
    }

    /**
     * @param rounds   rounds to run
     * @param loadMs   mean load per round, drawn from [loadMs / 2, loadMs * 3 / 2], then on until the hot chat
     *                 has a store backlog (at most 10 s more)
     * @param deadline System.nanoTime() after which no new round starts
     */
    Result run(int rounds, int loadMs, long deadline) throws Exception {
        String config = ctx.config(DIR, "");
        List<Round> done = new ArrayList<>();
        ChildEngram server = ctx.start(DIR, config, DIR + "-0");
        try {
            for (int r = 0; r < rounds && System.nanoTime() < deadline; r++) {
                Lives lives = round(r, server, config, loadMs);
                server = lives.next();
                done.add(lives.round());
            }
            ctx.progress("hotchat: final search of every acknowledged item");
            finalSearch(server);
            server.terminate(Duration.ofSeconds(60));
        } finally {
            server.close();
        }
        record(DbAudit.audit(db, ledger));
        int acked = done.stream().mapToInt(Round::acknowledged).sum();
        Result result = new Result(rounds, List.copyOf(done), acked, lost.size(), duplicated, unsearchable.size(),
                redelivered, done.stream().mapToLong(Round::healthMs).max().orElse(0),
                done.stream().mapToLong(Round::okMs).max().orElse(0), done.stream().mapToLong(Round::drainMs).max().orElse(0),
                done.stream().mapToLong(Round::hotBacklog).min().orElse(0), firstProblem);
        ctx.progress("hotchat: %d rounds, %d acknowledged, %d lost, %d duplicated, %d unsearchable, health ≤ %d ms, "
                + "ok ≤ %d ms, drained ≤ %d ms", done.size(), acked, result.lost(), duplicated, result.unsearchable(),
                result.healthMsMax(), result.okMsMax(), result.drainMsMax());
        return result;
    }

    private record Lives(Round round, ChildEngram next) {
    }

    /** Loads {@code server}, kills it with a hot-chat backlog, restarts, waits for ok and the drain, audits. */
    private Lives round(int r, ChildEngram server, String config, int loadMs) throws Exception {
        int before = ledger.acknowledged().size();
        redelivered += redeliver(server);
        long loadStart = System.nanoTime();
        LoadClients load = new LoadClients(ctx.http(), ledger, server.base(), r)
                .start(HOT_CLIENTS, SPREAD_CLIENTS, MEMORY_CLIENTS);
        JsonNode pipeline;
        long loadedMs;
        try {
            load.awaitLoad(loadMs / 2 + random.nextInt(Math.max(1, loadMs)), 5);
            awaitHotBacklog();
            pipeline = ServerStatus.read(ctx.http(), server.base()).path("store_pipeline");
            loadedMs = (System.nanoTime() - loadStart) / 1_000_000;
            server.kill();
        } finally {
            load.stop();
            server.close();
        }
        HotChatBacklog backlog = HotChatBacklog.read(db, LoadClients.HOT_CHAT);
        int lostBefore = lost.size();
        int dupBefore = duplicated;
        record(DbAudit.audit(db, ledger));
        ChildEngram next = ctx.start(DIR, config, DIR + "-" + (r + 1));
        long okMs = awaitOk(next);
        long drainMs = ServerStatus.awaitDrained(ctx.http(), next.base(), READY_TIMEOUT) ? next.uptimeMs() : -1;
        int acked = ledger.acknowledged().size() - before;
        int missing = search(next, false);
        Round round = new Round(r, acked, lost.size() - lostBefore, duplicated - dupBefore, missing, backlog.hot(),
                backlog.other(), pipeline.path("outbox_live").asLong(-1), pipeline.path("visibility_lag_s").asDouble(-1),
                loadedMs, next.healthyMs(), next.firstHealth(), okMs, drainMs);
        ctx.progress("hotchat round %d: %d acknowledged, load %d ms, at kill: hot backlog %d, others %d, outbox_live %d, "
                        + "lag %.1f s; restart: first /health %s after %d ms, ok after %d ms, drained after %d ms; "
                        + "%d lost, %d duplicated, %d unsearchable", r, acked, loadedMs, backlog.hot(), backlog.other(),
                round.outboxLive(), round.lagSeconds(), round.firstHealth(), round.healthMs(), okMs, drainMs,
                round.lost(), round.duplicated(), missing);
        return new Lives(round, next);
    }

    /** Polls the live database until the hot chat has unfinished store tasks (at most {@link #BACKLOG_WAIT}). */
    private void awaitHotBacklog() throws InterruptedException {
        long until = System.nanoTime() + BACKLOG_WAIT.toNanos();
        while (System.nanoTime() < until) {
            try {
                if (HotChatBacklog.read(db, LoadClients.HOT_CHAT).hot() > 0) return;
            } catch (java.sql.SQLException e) {
                // busy or mid-checkpoint: look again
            }
            Thread.sleep(100); // polling another process's database
        }
    }

    /** Waits for {@code /health} {@code ok}; @return ms from the process start, or -1 when not within the timeout */
    private long awaitOk(ChildEngram server) throws InterruptedException {
        long until = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < until) {
            try {
                ChaosHttp.Response h = ctx.http().get(server.base().resolve("/health"), Duration.ofSeconds(5));
                if (h.status() == 200 && "ok".equals(h.json().path("status").asText())) return server.uptimeMs();
            } catch (IOException e) {
                // a slow answer: ask again
            }
            Thread.sleep(100); // polling another process's state
        }
        return -1;
    }

    /** Searches the acknowledged items not audited yet (or all, {@code everything}); @return how many were not found */
    private int search(ChildEngram server, boolean everything) throws Exception {
        List<Ledger.Item> items = ledger.acknowledged().stream()
                .filter(i -> everything || !audited.contains(i.token)).toList();
        RecallAudit.Result recall = RecallAudit.audit(ctx.http(), server.base(), items, 4);
        items.forEach(i -> audited.add(i.token));
        Set<String> missing = new HashSet<>(recall.unsearchable());
        missing.removeAll(lost);
        unsearchable.addAll(missing);
        if (firstProblem == null && recall.firstMissing() != null) firstProblem = "unsearchable " + recall.firstMissing();
        return missing.size();
    }

    private void finalSearch(ChildEngram server) throws Exception {
        int before = unsearchable.size();
        search(server, true);
        ctx.progress("hotchat: final search of %d items: %d more unsearchable", audited.size(),
                unsearchable.size() - before);
    }

    private void record(DbAudit.Result audit) {
        lost.addAll(audit.lost());
        duplicated = Math.max(duplicated, audit.duplicated());
        if (firstProblem == null) firstProblem = audit.firstProblem();
    }

    private int redeliver(ChildEngram server) throws InterruptedException {
        return LoadClients.redeliver(ctx.http(), server.base(), ledger);
    }
}
