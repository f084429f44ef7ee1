package dev.engram.bench.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of {@code engram bench store}.
 *
 * @param messages user messages sent (default 2,000), each answered by the server and stored
 * @param chats    chats they are spread over (default 8)
 * @param clients  concurrent HTTP clients sending them as fast as the server acknowledges (default 8)
 * @param timeout  how long to wait for the store pipeline to drain after the last acknowledgement (default 15 min)
 * @param data     messages to send (LoCoMo format), or {@code null} for the dev set shipped with Engram
 * @param out      directory for {@code store-result.json}, or {@code null}
 * @param compareUnbatched also run the same traffic with batching off ({@link StoreBench#UNBATCHED}) on a fresh
 *                 server, and report how much batching raised the capacity
 */
public record StoreBenchOptions(int messages, int chats, int clients, Duration timeout, Path data, Path out,
                                boolean compareUnbatched) {
    public StoreBenchOptions {
        if (messages < 1) throw new IllegalArgumentException("--messages must be >= 1, was " + messages);
        if (chats < 1) throw new IllegalArgumentException("--chats must be >= 1, was " + chats);
        if (clients < 1) throw new IllegalArgumentException("--clients must be >= 1, was " + clients);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("--timeout-seconds must be > 0");
    }

    /** The defaults, with {@code data} as given. */
    public static StoreBenchOptions defaults(Path data) {
        return new StoreBenchOptions(2_000, 8, 8, Duration.ofMinutes(15), data, null, false);
    }
}
