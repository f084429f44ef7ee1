package dev.engram.bench.chaos;

/**
 * One soak sample of the child server.
 *
 * @param tS            seconds since the load started
 * @param heapAfterGcMb heap in use after the child's last GC ({@code jvm.heap_after_gc_bytes} of {@code /api/status})
 * @param heapUsedMb    heap in use now
 * @param gcCount       collections so far
 * @param threads       live platform threads
 * @param openFds       open file descriptors
 * @param rssMb         resident set size ({@code VmRSS} of {@code /proc/<pid>/status}), -1 where unreadable
 * @param deadLetters   dead letters now ({@code tasks.totals.dead_letters_count})
 * @param taskRecords   finished (succeeded) task status rows of the type with the most of them (store, as a rule):
 *                      the ones {@code tasks.status_max_entries} bounds per type
 * @param statusRows    every task status row (finished, dead letters, unfinished)
 * @param outbox        unfinished durable tasks ({@code tasks.totals.in_outbox})
 * @param sent          requests the load sent so far
 * @param acknowledged  of those, answered 2xx
 * @param llmFailures   LLM calls failed on purpose so far
 */
record SoakSample(double tS, double heapAfterGcMb, double heapUsedMb, long gcCount, int threads, long openFds,
                  double rssMb, long deadLetters, long taskRecords, long statusRows, long outbox, long sent,
                  long acknowledged, long llmFailures) {
}
