package dev.engram.bench.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures and verdicts of a soak. Samples taken in the first 10 % of the run (at least the first one) are
 * warm-up (JIT, pools and caches filling) and left out of the comparison; the rest are cut into thirds (a
 * third is {@code floor(n / 3)} samples). A figure is <b>flat</b> when the mean of the last third is at most
 * 10 % above the mean of the first third (a fall is no leak). Passed when heap after GC and threads are flat,
 * dead letters never exceeded {@code tasks.dead_letter_max}, finished task status rows never exceeded
 * {@link #taskRecordBound()}, at least three samples follow the warm-up, some requests were acknowledged and the
 * server was up to the end. File descriptors, RSS and the store backlog are reported, not judged (a backlog that
 * grows means the load outpaces the stores on this machine, and the heap then holds the growing queue).
 *
 * @param options      what ran
 * @param samples      every sample, in order
 * @param load         the load's answers by HTTP status
 * @param ioErrors     requests that got no answer (timeouts, refused connections)
 * @param llmCalls     calls the LLM front received
 * @param llmInjected  failures injected, by kind
 * @param deadLettered tasks dead-lettered or failed for good during the run (purged ones included)
 * @param serverUp     whether the server was up when the load stopped
 * @param seconds      wall time of the whole run
 */
public record SoakReport(SoakOptions options, List<SoakSample> samples, Map<Integer, Long> load, long ioErrors, long llmCalls,
                  Map<String, Long> llmInjected, long deadLettered, boolean serverUp, double seconds) {
    /** Share a figure's last third may exceed its first third by. */
    static final double FLAT_TOLERANCE = 0.10;

    public SoakReport {
        samples = List.copyOf(samples);
    }

    /** @return samples taken in the first 10 % of the run, at least 1 */
    int warmup() {
        double limit = options.duration().toMillis() / 1000.0 * 0.10;
        int n = (int) samples.stream().filter(s -> s.tS() <= limit).count();
        return Math.min(samples.size(), Math.max(1, n));
    }

    private List<SoakSample> measured() {
        return samples.subList(warmup(), samples.size());
    }

    double firstThird(ToDoubleFunction<SoakSample> figure) {
        List<SoakSample> m = measured();
        return mean(m.subList(0, m.size() / 3), figure);
    }

    double lastThird(ToDoubleFunction<SoakSample> figure) {
        List<SoakSample> m = measured();
        return mean(m.subList(m.size() - m.size() / 3, m.size()), figure);
    }

    boolean flat(ToDoubleFunction<SoakSample> figure) {
        return measured().size() >= 3 && lastThird(figure) <= firstThird(figure) * (1 + FLAT_TOLERANCE);
    }

    long deadLettersMax() {
        return samples.stream().mapToLong(SoakSample::deadLetters).max().orElse(0);
    }

    long taskRecordsMax() {
        return samples.stream().mapToLong(SoakSample::taskRecords).max().orElse(0);
    }

    /**
     * @return finished task status rows one type may hold: {@code status_max_entries} plus the tenth of it
     *         written between two prunes ({@code StatusRetention})
     */
    long taskRecordBound() {
        return options.statusMaxEntries() + Math.max(1, options.statusMaxEntries() / 10);
    }

    long acknowledged() {
        return load.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(Map.Entry::getValue).sum();
    }

    /** @return whether every verdict holds */
    public boolean passed() {
        return serverUp && measured().size() >= 3 && acknowledged() > 0 && flat(SoakSample::heapAfterGcMb)
                && flat(SoakSample::threads) && deadLettersMax() <= options.deadLetterMax()
                && taskRecordsMax() <= taskRecordBound();
    }

    /** The JSON document of {@code --out}. */
    Map<String, Object> document() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("soak_minutes", options.duration().toMillis() / 60_000.0);
        d.put("sample_seconds", options.sampleInterval().toMillis() / 1000.0);
        d.put("llm_failure_rate", options.llmFailureRate());
        d.put("requests_per_second", options.requestsPerSecond());
        d.put("distinct_texts_per_chat", options.distinct());
        d.put("warmup_samples", warmup());
        d.put("heap_after_gc_first_third_mb", round(firstThird(SoakSample::heapAfterGcMb)));
        d.put("heap_after_gc_last_third_mb", round(lastThird(SoakSample::heapAfterGcMb)));
        d.put("heap_flat", flat(SoakSample::heapAfterGcMb));
        d.put("threads_first_third", round(firstThird(SoakSample::threads)));
        d.put("threads_last_third", round(lastThird(SoakSample::threads)));
        d.put("threads_flat", flat(SoakSample::threads));
        d.put("fd_first_third", round(firstThird(SoakSample::openFds)));
        d.put("fd_last_third", round(lastThird(SoakSample::openFds)));
        d.put("rss_first_third_mb", round(firstThird(SoakSample::rssMb)));
        d.put("rss_last_third_mb", round(lastThird(SoakSample::rssMb)));
        d.put("outbox_first_third", round(firstThird(SoakSample::outbox)));
        d.put("outbox_last_third", round(lastThird(SoakSample::outbox)));
        d.put("dead_letters_max", deadLettersMax());
        d.put("dead_letter_bound", options.deadLetterMax());
        d.put("dead_lettered_total", deadLettered);
        d.put("task_records_max", taskRecordsMax());
        d.put("task_record_bound", taskRecordBound());
        d.put("requests", load.values().stream().mapToLong(Long::longValue).sum() + ioErrors);
        d.put("acknowledged", acknowledged());
        d.put("statuses", load);
        d.put("io_errors", ioErrors);
        d.put("llm_calls", llmCalls);
        d.put("llm_failures_injected", llmInjected);
        d.put("server_up", serverUp);
        d.put("seconds", round(seconds));
        d.put("passed", passed());
        d.put("samples", samples);
        return d;
    }

    /** Per-sample rows, then the summary and verdicts. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append("|    t s | heap after GC MB | heap MB | GCs | threads | fds | RSS MB | dead letters | task records"
                + " | outbox | sent | 2xx | LLM failures |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < samples.size(); i++) {
            SoakSample s = samples.get(i);
            b.append(String.format(Locale.ROOT, "| %6.0f%s | %.1f | %.1f | %d | %d | %d | %.1f | %d | %d | %d | %d | %d | %d |%n",
                    s.tS(), i < warmup() ? "w" : "", s.heapAfterGcMb(), s.heapUsedMb(), s.gcCount(), s.threads(),
                    s.openFds(), s.rssMb(), s.deadLetters(), s.taskRecords(), s.outbox(), s.sent(), s.acknowledged(),
                    s.llmFailures()));
        }
        b.append(String.format(Locale.ROOT, "%n| soak %.1f min, %d samples (%d warm-up, w) | first third | last third | verdict |%n",
                options.duration().toMillis() / 60_000.0, samples.size(), warmup()));
        b.append("|---|---|---|---|\n");
        row(b, "heap after GC MB", SoakSample::heapAfterGcMb, true);
        row(b, "threads", SoakSample::threads, true);
        row(b, "open fds", SoakSample::openFds, false);
        row(b, "RSS MB", SoakSample::rssMb, false);
        row(b, "store backlog (outbox)", SoakSample::outbox, false);
        b.append(String.format(Locale.ROOT, "| dead letters | max %d | bound %d (%d dead-lettered in all) | %s |%n",
                deadLettersMax(), options.deadLetterMax(), deadLettered, deadLettersMax() <= options.deadLetterMax()
                        ? "bounded" : "OVER"));
        b.append(String.format(Locale.ROOT, "| finished task records | max %d | bound %d | %s |%n", taskRecordsMax(),
                taskRecordBound(), taskRecordsMax() <= taskRecordBound() ? "bounded" : "OVER"));
        b.append(String.format(Locale.ROOT, "| load | %d acknowledged of %s, %d without answer | LLM %d calls, failed %s | %s |%n",
                acknowledged(), load, ioErrors, llmCalls, llmInjected, serverUp ? "server up" : "SERVER DOWN"));
        b.append(passed() ? "soak: passed\n" : "soak: FAILED\n");
        return b.toString();
    }

    private void row(StringBuilder b, String name, ToDoubleFunction<SoakSample> figure, boolean judged) {
        String verdict = flat(figure) ? "flat" : "GROWS";
        b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", name, firstThird(figure), lastThird(figure),
                judged ? verdict : verdict + " (not judged)"));
    }

    private static double mean(List<SoakSample> s, ToDoubleFunction<SoakSample> figure) {
        return s.stream().mapToDouble(figure).average().orElse(Double.NaN);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
