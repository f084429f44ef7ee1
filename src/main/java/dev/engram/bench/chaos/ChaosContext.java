package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What every scenario of one chaos run shares: how to start a child server, the registry that kills
 * children on exit, the HTTP client, the work directory, the seed and the progress output.
 */
record ChaosContext(JvmSpec jvm, ChildProcesses children, ChaosHttp http, Path work, long seed, PrintStream out,
                    Duration startTimeout) {

    /** Starts a child server in {@code work/dir} from {@code config} and waits until its memory side is up. */
    ChildEngram start(String dir, String config, String name) throws IOException, InterruptedException {
        ChildEngram child = serving(dir, config, name);
        try {
            child.awaitReady(http, startTimeout);
        } catch (IOException e) {
            child.close();
            throw e;
        }
        return child;
    }

    /** Starts a child server and returns once its port answers {@code /health} (the memory side may be {@code starting}). */
    ChildEngram serving(String dir, String config, String name) throws IOException, InterruptedException {
        return ChildEngram.start(jvm, children, http, work.resolve(dir), config, name, startTimeout);
    }

    /** The config of an offline server on {@code %PORT%} with its data in {@code work/dir/data}, plus {@code extra}. */
    String config(String dir, String extra) {
        String data = work.resolve(dir).resolve("data").toString().replace("\\", "/");
        return """
                [server]
                host = "127.0.0.1"
                port = %%PORT%%
                [storage]
                data_dir = "%s"
                """.formatted(data) + extra;
    }

    void progress(String format, Object... args) {
        out.printf("chaos: " + format + "%n", args);
        out.flush();
    }
}
