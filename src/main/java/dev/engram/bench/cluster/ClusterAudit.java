package dev.engram.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engram.bench.chaos.ChaosHttp;

/**
 * The accounting of a cluster run, read from the shared database once the work queue has drained: every
 * acknowledged message is once among the user messages (by its token), every acknowledged memory once among
 * the memories (0 = lost, more = duplicated); and whether acknowledged items are searchable on every
 * surviving instance (each memory, and up to {@code indexSample} messages, searched by token on each).
 */
final class ClusterAudit {
    private static final Pattern TOKEN = Pattern.compile("(?<![a-z])[a-z]{10}(?![a-z])");

    /** The figures of one audit. */
    record Result(int acknowledged, int lost, int duplicated, int indexChecks, int indexMissing, String firstProblem) {
    }

    private ClusterAudit() {
    }

    /** Live (not dead-lettered) outbox rows, and of those the ones claimed by {@code owner} (0 without the column). */
    static long[] outbox(Connection c, String owner) throws SQLException {
        long live;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM task_outbox WHERE dead = 0")) {
            r.next();
            live = r.getLong(1);
        }
        long claimed = 0;
        try (var ps = c.prepareStatement("SELECT count(*) FROM task_outbox WHERE dead = 0 AND claimed_by = ?")) {
            ps.setString(1, owner);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                claimed = r.getLong(1);
            }
        } catch (SQLException e) {
            // no claimed_by column: a build without the shared queue
        }
        return new long[] {live, claimed};
    }

    static Result audit(Connection c, ClusterLedger ledger, ChaosHttp http, List<URI> survivors, int indexSample)
            throws SQLException, IOException, InterruptedException {
        Map<String, Integer> messages = count(c, "SELECT text FROM messages WHERE role = 'user'");
        Map<String, Integer> memories = count(c, "SELECT text FROM memories");
        int acked = 0;
        int lost = 0;
        int duplicated = 0;
        String first = null;
        List<ClusterLedger.Item> acknowledged = ledger.acknowledged();
        for (ClusterLedger.Item item : acknowledged) {
            acked++;
            int n = (item.kind == ClusterLedger.Kind.MESSAGE ? messages : memories).getOrDefault(item.token, 0);
            if (n == 0) {
                lost++;
                if (first == null) first = item.kind + " " + item.token + " of " + item.chat + " lost";
            } else if (n > 1) {
                duplicated++;
                if (first == null) first = item.kind + " " + item.token + " of " + item.chat + " stored " + n + " times";
            }
        }
        int checks = 0;
        int missing = 0;
        int messagesChecked = 0;
        for (ClusterLedger.Item item : acknowledged) {
            if (item.kind == ClusterLedger.Kind.MESSAGE && messagesChecked++ >= indexSample) continue;
            for (URI base : survivors) {
                checks++;
                ChaosHttp.Response r = http.get(base.resolve("/api/memory/search?chat_id=" + VisibilityProbe.enc(item.chat)
                        + "&q=" + VisibilityProbe.enc(item.token) + "&k=10&timeout_ms=2000"), Duration.ofSeconds(30));
                if (!VisibilityProbe.contains(r.json(), item.token)) {
                    missing++;
                    if (first == null) first = item.kind + " " + item.token + " of " + item.chat + " not searchable on " + base;
                }
            }
        }
        return new Result(acked, lost, duplicated, checks, missing, first);
    }

    private static Map<String, Integer> count(Connection c, String sql) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                Matcher m = TOKEN.matcher(r.getString(1));
                while (m.find()) counts.merge(m.group(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
