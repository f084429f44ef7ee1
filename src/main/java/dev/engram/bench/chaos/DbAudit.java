package dev.engram.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sqlite.SQLiteConfig;

/**
 * Counts the ledger's items in a server's SQLite database, opened read-only after the server process has
 * ended: a message is there once per user row carrying its token; a memory once per instant memory carrying
 * its token, or (not yet run) once in the outbox payload of its store task. Found 0 times = lost, more than
 * once = duplicated.
 */
final class DbAudit {
    private static final Pattern TOKEN = Pattern.compile("(?<![a-z])[a-z]{10}(?![a-z])");

    /** Acknowledged items lost or duplicated, and unacknowledged items that were stored anyway. */
    record Result(int acknowledged, Set<String> lost, int duplicated, int unacknowledgedStored, String firstProblem) {
    }

    private DbAudit() {
    }

    static Result audit(Path db, Ledger ledger) throws SQLException {
        if (!Files.exists(db)) throw new SQLException("no database at " + db);
        Map<String, Integer> messages = new HashMap<>();
        Map<String, Integer> memories = new HashMap<>();
        Map<String, Integer> outbox = new HashMap<>();
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            count(s, "SELECT text FROM messages WHERE role = 'user'", messages);
            count(s, "SELECT text FROM memories", memories);
            count(s, "SELECT payload FROM task_outbox", outbox);
        }
        int acked = 0;
        Set<String> lost = new HashSet<>();
        int duplicated = 0;
        int unackedStored = 0;
        String first = null;
        for (Ledger.Item item : ledger.all()) {
            int n = item.kind == Ledger.Kind.MESSAGE ? messages.getOrDefault(item.token, 0)
                    : memories.getOrDefault(item.token, 0);
            if (n == 0 && item.kind == Ledger.Kind.MEMORY) n = Math.min(1, outbox.getOrDefault(item.token, 0));
            if (!item.acknowledged()) {
                if (n > 0) unackedStored++;
                if (n > 1) duplicated++;
                continue;
            }
            acked++;
            if (n == 0) {
                lost.add(item.token);
                if (first == null) first = "lost " + item.kind + " " + item.token + " of chat " + item.chat;
            } else if (n > 1) {
                duplicated++;
                if (first == null) first = "duplicated " + item.kind + " " + item.token + " ×" + n;
            }
        }
        return new Result(acked, lost, duplicated, unackedStored, first);
    }

    private static void count(Statement s, String sql, Map<String, Integer> into) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String text = rs.getString(1);
                if (text == null) continue;
                Matcher m = TOKEN.matcher(text);
                // a token counts once per row, however often the row repeats it
                Set<String> seen = new HashSet<>();
                while (m.find()) {
                    if (seen.add(m.group())) into.merge(m.group(), 1, Integer::sum);
                }
            }
        }
    }
}
