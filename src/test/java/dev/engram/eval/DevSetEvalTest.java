package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.recall.RecallSettings;

/**
 * The dev-set evaluation over the real components (slow: embeds about 900 turns). Runs only with
 * {@code -Dengram.devEval=true}; prints the table and, with {@code -Dengram.devEval.tune=true}, a weight
 * grid, and checks the bar: fused recall@10 beats every single source.
 */
class DevSetEvalTest {
    @Test
    void fused_recall_beats_every_single_source_on_the_dev_set(@TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("engram.devEval"), "set -Dengram.devEval=true to run the dev-set evaluation");
        List<LocomoSample> samples = LocomoLoader.loadDevSet();
        EvalOptions options = EvalOptions.defaults().withProgress(false)
                .withRuns(SourceSet.parse("lexical,vector,instant,fused"));

        try (ComponentEvalTarget target = new ComponentEvalTarget(dir, DefaultSettings.recall())) {
            EvalRunner runner = new EvalRunner(target, options);
            EvalReport report = runner.run(samples);
            System.out.println("memories written: " + target.memoryCount());
            System.out.println(report.table());
            report.writeJson(Path.of("target/dev-eval.json"));
            if (Boolean.getBoolean("engram.devEval.tune")) tune(target, runner, samples);

            double fused = report.run("fused").overall().recall10();
            for (String single : List.of("lexical", "vector", "instant")) {
                assertThat(fused).as("fused vs " + single).isGreaterThan(report.run(single).overall().recall10());
            }
        }
    }

    /** The grid the default weights were chosen from (printed; pick by recall@5/10/20 together). */
    private static void tune(ComponentEvalTarget target, EvalRunner runner, List<LocomoSample> samples) throws Exception {
        for (int rrfK : new int[] {20, 60}) {
            for (double vector : new double[] {0.5, 0.6, 0.8, 1.0}) {
                for (double instant : new double[] {0.2, 0.3, 0.45, 0.6}) {
                    Map<String, Double> weights = new LinkedHashMap<>(DefaultSettings.recall().weights());
                    weights.put("lexical", 1.0);
                    weights.put("vector", vector);
                    weights.put("instant", instant);
                    target.use(DefaultSettings.recall().withWeights(weights).withRrfK(rrfK));
                    RunReport r = runner.evaluate(samples, SourceSet.fused());
                    System.out.printf("tune k=%d lexical=1.0 vector=%.2f instant=%.2f  R@5=%.4f R@10=%.4f R@20=%.4f%n",
                            rrfK, vector, instant, r.overall().recall5(), r.overall().recall10(), r.overall().recall20());
                }
            }
        }
        target.use(DefaultSettings.recall());
    }
}
