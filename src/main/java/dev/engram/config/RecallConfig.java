package dev.engram.config;

import java.time.Duration;

/**
 * {@code [recall]}: memory on the reply path.
 *
 * @param timeout the hard deadline of recall for one reply (the seed's {@code max_timeout = 2.0});
 *                when it passes the reply goes out with whatever recall has by then
 * @param topK    most memories injected into one reply prompt
 */
public record RecallConfig(Duration timeout, int topK) {
    static RecallConfig read(Section s) {
        int timeout = s.intValue("timeout_ms", 2_000, 1, 60_000);
        int topK = s.intValue("top_k", 8, 1, 100);
        s.finish();
        return new RecallConfig(Duration.ofMillis(timeout), topK);
    }
}
