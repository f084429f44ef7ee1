package dev.engram.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Command-line entry: {@code engram serve}, with sub-commands for benchmarks and evaluation. */
@Command(name = "engram", mixinStandardHelpOptions = true, version = "Engram 0.1.0",
        description = "Long-term memory for chat bots that never blocks the conversation.",
        subcommands = {ServeCommand.class, MemoriesCommand.class, EvalCommand.class, BenchCommand.class, ChaosCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The tokenizer library of the embedding model phones home unless told not to; Engram never does.
        if (System.getProperty("OPT_OUT_TRACKING") == null) System.setProperty("OPT_OUT_TRACKING", "true");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new ErrorHandler());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Known start-up failures print one clear line instead of a stack trace. */
    private static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (e instanceof dev.engram.config.ConfigException) {
                cmd.getErr().println("engram: configuration error: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("engram: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        }
    }
}
