package dev.engram.bench.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.sqlite.SQLiteConfig;

/**
 * Live (not dead-lettered) tasks in a server's outbox, on one chat and on all others, read from its SQLite file
 * with a read-only connection (safe next to the running server: the database is in WAL mode).
 *
 * @param hot   live tasks of the hot chat
 * @param other live tasks of every other chat
 */
record HotChatBacklog(long hot, long other) {

    static HotChatBacklog read(Path db, String hotChat) throws SQLException {
        if (!Files.exists(db)) throw new SQLException("no database at " + db);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(2_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + db);
             PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(CASE WHEN chat_id = ? THEN 1 ELSE 0 END), 0), "
                     + "COALESCE(SUM(CASE WHEN chat_id = ? THEN 0 ELSE 1 END), 0) FROM task_outbox WHERE dead = 0")) {
            s.setString(1, hotChat);
            s.setString(2, hotChat);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new HotChatBacklog(rs.getLong(1), rs.getLong(2));
            }
        }
    }
}
