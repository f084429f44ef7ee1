package dev.engram.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.engram.config.EmbeddingConfig;
import dev.engram.config.EngramConfig;
import dev.engram.config.ServerConfig;
import dev.engram.config.StorageConfig;
import dev.engram.eval.EvalOptions;
import dev.engram.eval.EvalReport;
import dev.engram.eval.EvalRunner;
import dev.engram.eval.LocomoLoader;
import dev.engram.eval.SourceSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code engram eval [FILE]}: ingests LoCoMo-format conversations (the shipped dev set by default) into a
 * fresh, in-process Engram (on temporary data, configured by {@code --config} or the defaults) and reports
 * recall@k per source set. Fields and method signatures here use no eval type, so building the command
 * line (as {@code serve} does) loads no eval class.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure recall@k on a LoCoMo-format file (default: the dev set shipped with Engram).")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "LoCoMo-format JSON file (default: the shipped dev set, " + LocomoLoader.DEV_SET + ").")
    Path file;

    @Option(names = "--sources", defaultValue = "lexical,vector,instant,fused",
            description = "Comma-separated source sets to compare; 'a+b' combines sources, 'fused' uses all (default: ${DEFAULT-VALUE}).")
    String sources;

    @Option(names = "--out", description = "Write the report as JSON to this file.")
    Path out;

    @Option(names = "--config", description = "Config to evaluate (its storage and server sections are replaced).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (file != null && !Files.isRegularFile(file)) {
            System.err.println("engram eval: no such file: " + file);
            return 2;
        }
        Path dataDir = Files.createTempDirectory("engram-eval-");
        EngramConfig cfg = forEvaluation(config == null ? EngramConfig.defaults(dataDir) : EngramConfig.loadOrCreate(config),
                dataDir);
        Run.evaluate(cfg, file, sources, out);
        return 0;
    }

    /** The part that needs the eval package; a class of its own so it is loaded only when eval runs. */
    private static final class Run {
        private Run() {
        }

        static void evaluate(EngramConfig cfg, Path file, String sources, Path out) throws Exception {
            var samples = LocomoLoader.loadOrDevSet(file);
            EvalOptions options = EvalOptions.defaults().withRuns(SourceSet.parse(sources)).withProgress(true);
            try (Engram engram = Engram.start(cfg, Clock.systemDefaultZone())) {
                EvalReport report = new EvalRunner(new EngramEvalTarget(engram), options).run(samples);
                System.out.println(report.table());
                if (out != null) {
                    report.writeJson(out);
                    System.out.println("wrote " + out.toAbsolutePath());
                }
            }
        }
    }

    /** Private data, any port, and retention long enough for conversations dated years ago. */
    static EngramConfig forEvaluation(EngramConfig c, Path dataDir) {
        ServerConfig s = c.server();
        EmbeddingConfig e = c.embedding();
        Duration forever = Duration.ofDays(36_500);
        return new EngramConfig(new ServerConfig("127.0.0.1", 0, s.apiToken(), s.maxBodyBytes(), s.idleTimeout()),
                new StorageConfig(dataDir, c.storage().busyTimeoutMs()), c.llm(), c.chat(), c.memory(), c.recall(),
                new EmbeddingConfig(e.model(), e.similarityThreshold(), forever, forever), c.tasks(), c.proxy(), c.source());
    }
}
