package dev.engram.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.store.ChangeFeedRepository;

/**
 * LISTEN on a dedicated connection (outside the pool: it stays open as long as the follower runs), waited on
 * with pgjdbc's {@link PGConnection#getNotifications(int)}. A lost connection is reopened at the next wait,
 * which then reports a wake-up (changes may have been missed meanwhile). One thread at a time.
 */
final class PostgresWakeups implements ChangeFeedRepository.ChangeWakeups {
    private static final Logger log = LoggerFactory.getLogger(PostgresWakeups.class);

    private final String url;
    private final String user;
    private final String password;
    private final String channel;
    private volatile Connection connection;
    private volatile boolean closed;

    PostgresWakeups(String url, String user, String password, String channel) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.channel = channel;
    }

    @Override
    public synchronized boolean await(long timeoutMillis) throws InterruptedException {
        if (closed) return false;
        if (connection == null) {
            try {
                connect();
            } catch (SQLException e) {
                log.warn("change feed: cannot LISTEN ({}); polling only until the next try", e.getMessage());
                Thread.sleep(Math.max(1, timeoutMillis)); // the caller's poll interval: no busy loop while the server is away
                return true;
            }
            return true; // anything committed while not listening is only found by reading the feed
        }
        try {
            PGNotification[] got = connection.unwrap(PGConnection.class)
                    .getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
            if (Thread.interrupted()) throw new InterruptedException();
            return got != null && got.length > 0;
        } catch (SQLException e) {
            if (closed) return false;
            log.warn("change feed: LISTEN connection lost ({}); reconnecting", e.getMessage());
            closeConnection();
            return true;
        }
    }

    private void connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", "engram-change-feed");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(url, p);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + channel);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
    }

    @Override
    public void close() { // not synchronized: ends a wait in progress by closing its connection
        closed = true;
        closeConnection();
    }

    private void closeConnection() {
        Connection c = connection;
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing the LISTEN connection failed", e);
        }
        connection = null;
    }
}
