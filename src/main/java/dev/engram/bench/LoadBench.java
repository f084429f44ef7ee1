package dev.engram.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.engram.eval.LocomoLoader;
import dev.engram.eval.LocomoSample;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;
import me.tongfei.progressbar.ProgressBar;

/**
 * {@code engram bench}: the seed note's performance claims, measured side by side in one run. The
 * same load (users, chats, messages from the dev set, think time, a build part-way through) runs
 * against Engram as designed ({@code async}) and against the documented blocking baseline
 * ({@code blocking}); the result holds both tables, their ratios and the raw latency series.
 */
public final class LoadBench {
    static final List<String> MODES = List.of("async", "blocking");

    private LoadBench() {
    }

    /** Runs both modes on servers started by {@code launcher} and returns the {@code bench-result.json} document. */
    public static Map<String, Object> run(LoadBenchOptions o, ServerLauncher launcher, PrintStream out)
            throws Exception {
        List<String> texts = texts(o.devSet());
        FakeLlmProfile profile = FakeLlmProfile.instant()
                .forModel("bench-reply", new FakeLlmProfile.Behavior(LatencySpec.normal(o.replyMean(), o.replySd()),
                        o.failureRate(), FakeLlmProfile.Failure.status(500)))
                .forModel("bench-memory", new FakeLlmProfile.Behavior(LatencySpec.uniform(o.memoryMin(), o.memoryMax()),
                        o.failureRate(), FakeLlmProfile.Failure.status(500)));
        Map<String, LoadRun.Result> results = new LinkedHashMap<>();
        try (FakeLlmServer llm = FakeLlmServer.start(0, profile)) {
            LoadRun run = new LoadRun(o, texts, llm.baseUrl(), launcher);
            for (String mode : MODES) {
                long ticks = (o.warmup().toMillis() + o.duration().toMillis()) / 200;
                try (ProgressBar bar = new ProgressBar("bench " + mode, ticks)) {
                    Path dir = Files.createTempDirectory("engram-bench-" + mode + "-");
                    results.put(mode, run.run(mode, dir, bar::step));
                }
            }
        }
        Map<String, Object> doc = LoadReport.document(o, results);
        out.println(LoadReport.table(doc));
        if (o.out() != null) {
            Files.createDirectories(o.out());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(o.out().resolve("bench-result.json").toFile(), doc);
            Files.writeString(o.out().resolve("bench-report.html"), LoadReport.html(doc, results));
            out.println("wrote " + o.out().resolve("bench-result.json") + " and bench-report.html");
        }
        return doc;
    }

    static List<String> texts(Path devSet) throws Exception {
        Set<String> texts = new LinkedHashSet<>();
        for (LocomoSample s : LocomoLoader.loadOrDevSet(devSet)) {
            for (LocomoSample.Session session : s.sessions()) {
                for (LocomoSample.Turn t : session.turns()) texts.add(t.text());
            }
        }
        return List.copyOf(texts);
    }
}
