package dev.engram.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Takes a {@link SoakSample} of a running child: its {@code /api/status} ({@code jvm} section, dead letters,
 * outbox), its SQLite file (task status rows, read over a connection of its own that only reads, the server
 * writing meanwhile in WAL mode) and its RSS from {@code /proc/<pid>/status}.
 */
final class SoakProbe {
    private static final double MB = 1024 * 1024;

    private final ChaosContext ctx;
    private final ChildEngram server;
    private final Path db;

    SoakProbe(ChaosContext ctx, ChildEngram server, Path db) {
        this.ctx = ctx;
        this.server = server;
        this.db = db;
    }

    SoakSample sample(double tS, SoakLoad load, FaultyLlm llm) throws IOException, InterruptedException, SQLException {
        JsonNode status = ServerStatus.read(ctx.http(), server.base());
        JsonNode jvm = status.path("jvm");
        if (!jvm.isObject()) throw new IOException("/api/status has no jvm section: " + status);
        JsonNode totals = status.path("tasks").path("totals");
        long[] rows = statusRows();
        return new SoakSample(tS, round(jvm.path("heap_after_gc_bytes").asLong() / MB),
                round(jvm.path("heap_used_bytes").asLong() / MB), jvm.path("gc_count").asLong(), jvm.path("threads").asInt(),
                jvm.path("open_fds").asLong(), rssMb(server.pid()), totals.path("dead_letters_count").asLong(), rows[0],
                rows[1], totals.path("in_outbox").asLong(), load.sent(), load.acknowledged(), llm.injectedTotal());
    }

    /** @return succeeded task status rows of the task type with the most of them, and all rows */
    private long[] statusRows() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM "
                    + "task_status WHERE state = 'SUCCEEDED' GROUP BY type)), (SELECT COUNT(*) FROM task_status)")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** @return the resident set size of process {@code pid} in MB, -1 where {@code /proc} cannot tell */
    static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return round(Long.parseLong(line.substring(6).replace("kB", "").strip()) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
