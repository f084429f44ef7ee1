package dev.engram.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;

import dev.engram.config.ClusterConfig;
import dev.engram.config.EmbeddingConfig;
import dev.engram.config.OneBotConfig;
import dev.engram.config.EngramConfig;
import dev.engram.config.ServerConfig;
import dev.engram.config.StorageConfig;
import dev.engram.eval.EvalOptions;
import dev.engram.eval.EvalReport;
import dev.engram.eval.EvalRunner;
import dev.engram.eval.FitReport;
import dev.engram.eval.FitRunner;
import dev.engram.eval.SimilarityCalibration;
import dev.engram.memory.vector.OnnxEmbedder;
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

    @Option(names = "--fit", description = "Fit the [recall.weights] on one half of the conversations, report both halves "
            + "and print the weights as a config snippet (--sources is ignored).")
    boolean fit;

    @Option(names = "--calibrate", description = "Measure each embedding model's similarities of unrelated and "
            + "related question-turn pairs, the basis of [embedding.similarity_thresholds].")
    boolean calibrate;

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
        if (calibrate) Run.calibrate(cfg, file);
        else if (fit) Run.fit(cfg, file, out);
        else Run.evaluate(cfg, file, sources, out);
        return 0;
    }

    /** The part that needs the eval package; a class of its own so it is loaded only when eval runs. */
    private static final class Run {
        private Run() {
        }

        static void calibrate(EngramConfig cfg, Path file) throws Exception {
            var samples = LocomoLoader.loadOrDevSet(file);
            int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
            ExecutorService cpu = Executors.newFixedThreadPool(cores);
            try {
                for (String model : OnnxEmbedder.MODELS) {
                    try (OnnxEmbedder embedder = OnnxEmbedder.load(model, cpu, cores)) {
                        double configured = cfg.embedding().similarityThresholds().get(model);
                        for (String language : List.of("zh", "en")) {
                            var d = SimilarityCalibration.measure(model, embedder::embedAll, samples, language);
                            System.out.println(d.line());
                            System.out.printf(Locale.ROOT, "%-21s threshold %.2f: above %.1f %% of unrelated pairs,"
                                    + " keeps %.1f %% of question-evidence pairs%n", d.model(), configured,
                                    d.unrelatedRank(configured), 100 * d.relatedKept(configured));
                            if (language.equals(OnnxEmbedder.LANGUAGES.get(model))) {
                                System.out.printf(Locale.ROOT, "%-21s calibrated threshold (p%.0f of unrelated pairs in"
                                        + " its language) %.2f: keeps %.1f %% of question-evidence pairs%n", d.model(),
                                        SimilarityCalibration.THRESHOLD_PERCENTILE, d.threshold(),
                                        100 * d.relatedKept(d.threshold()));
                            }
                        }
                    }
                }
            } finally {
                cpu.shutdown();
            }
        }

        static void fit(EngramConfig cfg, Path file, Path out) throws Exception {
            var samples = LocomoLoader.loadOrDevSet(file);
            EvalOptions options = EvalOptions.defaults().withProgress(true);
            try (Engram engram = Engram.start(cfg, Clock.systemDefaultZone())) {
                FitReport report = new FitRunner(new EngramEvalTarget(engram), options)
                        .run(samples, cfg.recall().weights().bySource());
                System.out.println(report.table());
                if (out != null) {
                    report.writeJson(out);
                    System.out.println("wrote " + out.toAbsolutePath());
                }
            }
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

    /** Private data, any port, no OneBot surface, and retention long enough for conversations dated years ago. */
    static EngramConfig forEvaluation(EngramConfig c, Path dataDir) {
        ServerConfig s = c.server();
        EmbeddingConfig e = c.embedding();
        Duration forever = Duration.ofDays(36_500);
        return new EngramConfig(new ServerConfig("127.0.0.1", 0, s.apiToken(), s.maxBodyBytes(), s.idleTimeout()),
                new StorageConfig(dataDir, c.storage().busyTimeoutMs()), c.llm(), c.chat(), c.memory(), c.recall(),
                e.withRetention(forever, forever), c.tasks(),
                OneBotConfig.DEFAULTS, c.proxy(), ClusterConfig.DEFAULTS, c.source());
    }
}
