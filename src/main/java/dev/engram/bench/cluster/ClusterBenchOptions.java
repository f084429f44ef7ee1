package dev.engram.bench.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code engram bench cluster} runs.
 *
 * @param instances   Engram instances of the cluster phase (&gt;= 2)
 * @param rate        items per second sent, all instances together
 * @param chats       chats the items are spread over
 * @param warmup      load before each phase's measured window (JIT, model and pools warm up; not measured)
 * @param measured    length of each phase's measured load
 * @param killAt      when, into the cluster phase's measured load, the last instance gets SIGKILL
 * @param lease       {@code [cluster] lease_ms} of the instances
 * @param indexSample acknowledged messages searched for on every survivor (every memory is)
 * @param postgresUrl an existing server's JDBC URL (user and password from ENGRAM_DB_USER / ENGRAM_DB_PASSWORD);
 *                    empty = start a private server from the Debian binaries
 * @param work        directory for the instances' data and consoles (kept), or empty for a temporary one (deleted)
 * @param out         directory for {@code cluster-result.json}, or empty
 * @param seed        seed of the traffic's random choices
 */
public record ClusterBenchOptions(int instances, int rate, int chats, Duration warmup, Duration measured, Duration killAt, Duration lease,
                                  int indexSample, Optional<String> postgresUrl, Optional<Path> work, Optional<Path> out,
                                  long seed) {
    public ClusterBenchOptions {
        if (instances < 2 || instances > 8) throw new IllegalArgumentException("--instances must be in [2, 8], was " + instances);
        if (rate < 1 || rate > 2_000) throw new IllegalArgumentException("--rate must be in [1, 2000], was " + rate);
        if (chats < 1) throw new IllegalArgumentException("--chats must be >= 1, was " + chats);
        if (warmup.isNegative()) throw new IllegalArgumentException("--warmup-seconds must be >= 0, was " + warmup.toSeconds());
        if (measured.toSeconds() < 5) throw new IllegalArgumentException("--seconds must be >= 5, was " + measured.toSeconds());
        if (killAt.isNegative() || killAt.compareTo(measured) >= 0) {
            throw new IllegalArgumentException("--kill-at-seconds must be in [0, --seconds), was " + killAt.toSeconds());
        }
        if (indexSample < 0) throw new IllegalArgumentException("--index-sample must be >= 0, was " + indexSample);
        postgresUrl.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql://")) throw new IllegalArgumentException("--postgres-url must be jdbc:postgresql://host[:port]/database, was " + u);
        });
    }
}
