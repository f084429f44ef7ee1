package dev.engram.bench.chaos;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to start {@code engram serve} in a child JVM: the same Java, classpath and main class as the running
 * command, with the flags of {@code ./engram}.
 *
 * @param java      the {@code java} executable
 * @param classpath the classpath (the jar, or the build's class directories in tests)
 * @param mainClass the CLI's main class
 * @param heap      the child's {@code -Xmx} value (e.g. {@code 512m})
 */
public record JvmSpec(Path java, String classpath, String mainClass, String heap) {
    /** The flags {@code ./engram} starts the JVM with. */
    static final List<String> ENGRAM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-modules", "jdk.incubator.vector", "-DOPT_OUT_TRACKING=true");

    public JvmSpec {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classpath, "classpath");
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(heap, "heap");
    }

    /** @return this JVM's java and classpath with {@code mainClass} */
    public static JvmSpec current(String mainClass) {
        // absolute entries: the child runs in a directory of its own
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        return new JvmSpec(Path.of(System.getProperty("java.home"), "bin", "java"), classpath, mainClass, "512m");
    }

    /** @return the command line of {@code engram serve --config config}, fatal-error reports into {@code dir} */
    List<String> serveCommand(Path config, Path dir) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(ENGRAM_FLAGS);
        command.add("-Xmx" + heap);
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        command.addAll(List.of("-cp", classpath, mainClass, "serve", "--config", config.toString()));
        return command;
    }
}
