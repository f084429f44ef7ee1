package dev.engram.bench.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL server of a cluster bench: either one the caller names (its JDBC URL, user and password),
 * or a private throw-away server started from the Debian {@code postgresql} binaries in a directory of the
 * run (initdb with trust authentication for a local {@code engram} role, loopback only, a free port; run
 * as the {@code postgres} user when this process is root, as PostgreSQL refuses root). Databases are made
 * per phase and dropped at the end. Not thread-safe.
 */
final class PostgresServer implements AutoCloseable {
    private static final String ROLE = "engram";

    private final String adminUrl;
    private final String user;
    private final String password;
    private final Path dataDir;
    private final Path binDir;
    private final boolean asPostgres;
    private final List<String> databases = new ArrayList<>();
    /** Stops a private server when the bench is interrupted (Ctrl-C, SIGTERM) before {@link #close()}. */
    private final Thread stopHook;

    private PostgresServer(String adminUrl, String user, String password, Path dataDir, Path binDir, boolean asPostgres) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.asPostgres = asPostgres;
        this.stopHook = dataDir == null ? null : new Thread(this::stopServer, "cluster-bench-postgres-stop");
        if (stopHook != null) Runtime.getRuntime().addShutdownHook(stopHook);
    }

    /** A server that is already running: {@code url} names any database the user may create databases from. */
    static PostgresServer external(String url, String user, String password) {
        return new PostgresServer(url, user, password, null, null, false);
    }

    /** Starts a private server with its data in {@code dir} (created). */
    static PostgresServer start(Path dir) throws IOException, InterruptedException {
        Path bin = findBinaries().orElseThrow(() -> new IOException(
                "no PostgreSQL binaries under /usr/lib/postgresql/*/bin: install Debian's postgresql "
                        + "(apt-get install postgresql) or pass --postgres-url"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir);
        Path data = dir.resolve("pgdata");
        if (root) run(List.of("chown", "-R", "postgres", dir.toString()), false, dir);
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", ROLE, "-E", "UTF8",
                "--no-sync"), root, dir);
        int port = freePort();
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("postgres.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200", "start"), root, dir);
        return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres", ROLE, null, data, bin, root);
    }

    /** Creates a fresh database; returns its JDBC URL. */
    String createDatabase(String name) throws SQLException {
        admin("CREATE DATABASE " + name);
        databases.add(name);
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** A connection to {@code url} as the bench's role. */
    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Drops the bench's databases; stops the private server. */
    @Override
    public void close() {
        for (String db : databases) {
            try {
                admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("cluster bench: cannot drop database " + db + ": " + e.getMessage());
            }
        }
        if (dataDir == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException e) {
            return; // the JVM is shutting down: the hook stops the server
        }
        stopServer();
    }

    private void stopServer() {
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"),
                    asPostgres, dataDir.getParent());
        } catch (IOException e) {
            System.err.println("cluster bench: stopping PostgreSQL failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Optional<Path> findBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())));
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command, boolean asPostgres, Path dir) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Path log = Files.createTempFile(dir, "pg-cmd", ".log");
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with " + p.exitValue() + ":\n" + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
