package dev.engram.config;

import java.time.Duration;

/**
 * {@code [tasks]}: the background task engine. Each task type has a {@code [tasks.<type>]} policy
 * table (timeout, attempts, backoff). Cross-field rules (e.g. reserved interactive permits below the
 * worker permits) are checked when the engine settings are built, and reported with the key.
 *
 * @param workerPermits          tasks running at once, all lanes together
 * @param reservedInteractive    permits only recall (the interactive lane) may use
 * @param interactiveConcurrency recalls running at once
 * @param interactiveQueueBound  recalls waiting; beyond it a reply goes out without memory ({@code skipped})
 * @param ingestConcurrency      stores running at once (one per chat at a time)
 * @param ingestQueueBound       stores held in memory; beyond it they wait in the durable outbox
 * @param cacheTtl               how long a recall result is served from the cache (the seed's 300 s)
 * @param cacheMaxEntries        recall results cached at most (0 = no cache)
 * @param drainDeadline          how long shutdown lets queued work finish; the rest stays in the outbox
 * @param statusRetention        how long after its submission the status of a finished durable task stays
 *                               visible (across restarts)
 * @param statusMaxEntries       finished task statuses kept at most per type (the oldest are pruned beyond it)
 * @param deadLetterMax          dead letters kept at most (the oldest are purged beyond it, logged)
 * @param outboxBatchSize        outbox writes (acknowledgements, finished tasks' deletions, attempt counts) grouped
 *                               into one transaction at most; 1 commits each on its own
 */
public record TasksConfig(int workerPermits, int reservedInteractive, int interactiveConcurrency,
                          int interactiveQueueBound, int ingestConcurrency, int ingestQueueBound, Duration cacheTtl,
                          int cacheMaxEntries, Duration drainDeadline, Duration statusRetention, int statusMaxEntries,
                          int deadLetterMax, int outboxBatchSize, Policy store, Policy retrieve, Policy build,
                          Policy forget, Policy consolidate) {

    /** {@code [tasks.<type>]}: per-attempt timeout, attempts, exponential backoff with jitter. */
    public record Policy(Duration timeout, int maxAttempts, Duration backoffBase, Duration backoffMax, double jitter) {
        static Policy read(Section s, Policy def) {
            long timeout = s.integer("timeout_ms", def.timeout.toMillis(), v -> v >= 1 && v <= 86_400_000,
                    "must be an integer in [1, 86400000]");
            int attempts = s.intValue("max_attempts", def.maxAttempts, 1, 100);
            long base = s.integer("backoff_base_ms", def.backoffBase.toMillis(), v -> v >= 1 && v <= 86_400_000,
                    "must be an integer in [1, 86400000]");
            long max = s.integer("backoff_max_ms", def.backoffMax.toMillis(), v -> v >= base && v <= 86_400_000,
                    "must be an integer in [backoff_base_ms, 86400000]");
            double jitter = s.number("jitter", def.jitter, d -> d >= 0 && d <= 1, "must be in [0, 1]");
            s.finish();
            return new Policy(Duration.ofMillis(timeout), attempts, Duration.ofMillis(base), Duration.ofMillis(max),
                    jitter);
        }
    }

    private static final Policy STORE = new Policy(Duration.ofSeconds(60), 5, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2);
    private static final Policy RETRIEVE = new Policy(Duration.ofSeconds(2), 1, Duration.ofMillis(100), Duration.ofSeconds(1), 0.0);
    private static final Policy BUILD = new Policy(Duration.ofMinutes(30), 3, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2);
    private static final Policy FORGET = new Policy(Duration.ofMinutes(10), 3, Duration.ofSeconds(30), Duration.ofMinutes(10), 0.2);

    /** The built-in defaults of {@code [tasks]} and its {@code [tasks.<type>]} tables (consolidate as build). */
    public static final TasksConfig DEFAULTS = new TasksConfig(64, 16, 32, 256, 16, 4_096, Duration.ofSeconds(300),
            10_000, Duration.ofSeconds(10), Duration.ofHours(24), 100_000, 1_000, 512, STORE, RETRIEVE, BUILD, FORGET, BUILD);

    static TasksConfig read(Section s) {
        TasksConfig d = DEFAULTS;
        int permits = s.intValue("worker_permits", d.workerPermits, 2, 10_000);
        int reserved = s.intValue("reserved_interactive", d.reservedInteractive, 0, 10_000);
        int interactive = s.intValue("interactive_concurrency", d.interactiveConcurrency, 1, 10_000);
        int interactiveQueue = s.intValue("interactive_queue_bound", d.interactiveQueueBound, 1, 1_000_000);
        int ingest = s.intValue("ingest_concurrency", d.ingestConcurrency, 1, 10_000);
        int ingestQueue = s.intValue("ingest_queue_bound", d.ingestQueueBound, 1, 10_000_000);
        int ttl = s.intValue("cache_ttl_s", (int) d.cacheTtl.toSeconds(), 1, 86_400);
        int cacheMax = s.intValue("cache_max_entries", d.cacheMaxEntries, 0, 10_000_000);
        int drain = s.intValue("drain_deadline_ms", (int) d.drainDeadline.toMillis(), 1, 600_000);
        int statusRetention = s.intValue("status_retention_s", (int) d.statusRetention.toSeconds(), 1, 31_536_000);
        int statusMax = s.intValue("status_max_entries", d.statusMaxEntries, 1, 100_000_000);
        int deadMax = s.intValue("dead_letter_max", d.deadLetterMax, 1, 10_000_000);
        int outboxBatch = s.intValue("outbox_batch_size", d.outboxBatchSize, 1, 100_000);
        TasksConfig c = new TasksConfig(permits, reserved, interactive, interactiveQueue, ingest, ingestQueue,
                Duration.ofSeconds(ttl), cacheMax, Duration.ofMillis(drain), Duration.ofSeconds(statusRetention),
                statusMax, deadMax, outboxBatch,
                Policy.read(s.section("store"), d.store), Policy.read(s.section("retrieve"), d.retrieve),
                Policy.read(s.section("build"), d.build), Policy.read(s.section("forget"), d.forget),
                Policy.read(s.section("consolidate"), d.consolidate));
        s.finish();
        return c;
    }
}
