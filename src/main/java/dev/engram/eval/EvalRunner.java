package dev.engram.eval;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an evaluation ({@code engram eval}):
 * <ol>
 *   <li>ingest every sample's turns in order as chat {@code <chatPrefix><sample_id>}, turn {@code i} of a session at
 *       the session's date plus {@code i × turnSpacing} (a session without a readable date starts a day after the
 *       previous one; times never go backwards), each with its {@code dia_id} as external id;</li>
 *   <li>wait until the target is idle;</li>
 *   <li>for each source set, ask every question with evidence (top 20) and score it against its evidence
 *       and gold answer ({@link QuestionResult}); questions without evidence cannot be scored and are skipped.</li>
 * </ol>
 * Not thread-safe; one runner per evaluation. Progress bars appear for big files when enabled.
 */
public final class EvalRunner {
    /** Units asked per question (the largest k reported). */
    public static final int MAX_K = 20;
    static final int ADVERSARIAL = 5;
    private static final Logger log = LoggerFactory.getLogger(EvalRunner.class);
    private static final LocalDateTime FIRST_UNDATED = LocalDateTime.of(2000, 1, 1, 12, 0);

    private final EvalTarget target;
    private final EvalOptions options;

    public EvalRunner(EvalTarget target, EvalOptions options) {
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Ingests, waits for the target, and evaluates every configured source set. */
    public EvalReport run(List<LocomoSample> samples) throws Exception {
        ingest(samples);
        target.awaitIdle(options.idleTimeout());
        List<RunReport> reports = new ArrayList<>();
        for (SourceSet set : options.runs()) reports.add(evaluate(samples, set));
        return new EvalReport(reports);
    }

    /** Feeds every turn of every sample to the target, in order. */
    public void ingest(List<LocomoSample> samples) throws Exception {
        int turns = samples.stream().mapToInt(LocomoSample::turnCount).sum();
        try (Progress progress = progress("ingest", turns)) {
            for (LocomoSample sample : samples) {
                Instant previous = null;
                for (LocomoSample.Session session : sample.sessions()) {
                    Instant at = sessionStart(session, previous);
                    for (LocomoSample.Turn turn : session.turns()) {
                        if (previous != null && !at.isAfter(previous)) at = previous.plusMillis(1);
                        target.ingest(chatId(sample), turn.speaker(), turn.text(), at, turn.diaId());
                        previous = at;
                        at = at.plus(options.turnSpacing());
                        progress.step();
                    }
                }
            }
        }
    }

    /** Asks every scorable question of every sample using {@code set}'s sources. */
    public RunReport evaluate(List<LocomoSample> samples, SourceSet set) throws Exception {
        List<QuestionResult> results = new ArrayList<>();
        int skipped = 0;
        int questions = samples.stream().mapToInt(s -> s.questions().size()).sum();
        try (Progress progress = progress("recall " + set.name(), questions)) {
            for (LocomoSample sample : samples) {
                for (LocomoSample.Question q : sample.questions()) {
                    progress.step();
                    if (q.evidence().isEmpty()) {
                        skipped++;
                        continue;
                    }
                    long start = System.nanoTime();
                    List<RecalledUnit> units = target.recall(chatId(sample), q.question(), set.sources(), MAX_K);
                    long latency = System.nanoTime() - start;
                    // category 5 (adversarial) has no gold answer to contain, only an adversarial one
                    String answer = q.category() == ADVERSARIAL ? null : q.answer();
                    results.add(QuestionResult.score(q.category(), units, q.evidence(), answer, latency));
                }
            }
        }
        if (skipped > 0) log.info("run {}: {} questions without evidence were not scored", set.name(), skipped);
        return RunReport.of(set.name(), set.sources(), results, target.visibility());
    }

    String chatId(LocomoSample sample) {
        return options.chatPrefix() + sample.sampleId();
    }

    private Instant sessionStart(LocomoSample.Session session, Instant previous) {
        if (session.startedAt() != null) return session.startedAt().atZone(options.zone()).toInstant();
        if (previous == null) return FIRST_UNDATED.atZone(options.zone()).toInstant();
        return previous.plus(java.time.Duration.ofDays(1));
    }

    private Progress progress(String task, long max) {
        return options.progress() && max >= EvalOptions.PROGRESS_THRESHOLD ? Progress.bar(task, max) : Progress.none();
    }
}
