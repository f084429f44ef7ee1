package dev.engram.memory.recall;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;

/** Memory sources for fusion tests: fixed answers, blocked on a latch, or failing. */
final class TestSources {
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private TestSources() {
    }

    static Candidate c(String key, String text, long... ids) {
        return new Candidate(key, text, 1.0, java.util.Arrays.stream(ids).boxed().toList(), AT);
    }

    static MemorySource fixed(String name, Candidate... candidates) {
        return new MemorySource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Candidate> search(String chatId, String query, int k, Instant deadline) {
                return List.of(candidates).subList(0, Math.min(k, candidates.length));
            }
        };
    }

    /** Answers only once {@code release} is counted down (or after 30 s, so a broken test cannot hang). */
    static MemorySource blocked(String name, CountDownLatch release, Candidate... candidates) {
        return new MemorySource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Candidate> search(String chatId, String query, int k, Instant deadline) throws InterruptedException {
                release.await(30, TimeUnit.SECONDS);
                return List.of(candidates);
            }
        };
    }

    static MemorySource failing(String name) {
        return new MemorySource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Candidate> search(String chatId, String query, int k, Instant deadline) {
                throw new IllegalStateException("index is corrupt");
            }
        };
    }
}
