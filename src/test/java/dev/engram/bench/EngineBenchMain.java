package dev.engram.bench;

import java.time.Duration;

import dev.engram.app.DefaultSettings;

/**
 * Runs {@link EngineBench} from the test class path until the {@code bench} sub-command is wired:
 * {@code java -cp target/classes:target/test-classes:target/lib/* dev.engram.bench.EngineBenchMain [durable|in_memory] [tasks] [rate] [submitters]}.
 */
public final class EngineBenchMain {
    private EngineBenchMain() {
    }

    public static void main(String[] args) {
        EngineBenchOptions.Mix mix = args.length > 0 ? EngineBenchOptions.Mix.valueOf(args[0].toUpperCase()) : EngineBenchOptions.Mix.DURABLE;
        EngineBenchOptions d = EngineBenchOptions.defaults(mix);
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : d.tasks();
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : d.latencyRate();
        int submitters = args.length > 3 ? Integer.parseInt(args[3]) : d.submitters();
        EngineBenchResult r = EngineBench.run(new EngineBenchOptions(mix, tasks, submitters, d.chats(), rate,
                d.latencyPhase(), d.warmupTasks(), null), DefaultSettings.tasks(), System.out);
        System.out.println(r.meetsTargets() ? "targets met" : "targets NOT met");
        System.exit(0);
    }
}
