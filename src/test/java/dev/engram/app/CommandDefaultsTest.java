package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The commands' defaults need nothing outside the project: the dev set ships on the classpath. */
class CommandDefaultsTest {
    @Test
    void eval_and_bench_default_to_the_shipped_dev_set() {
        CommandLine.ParseResult eval = Main.commandLine().parseArgs("eval");
        CommandLine.ParseResult bench = Main.commandLine().parseArgs("bench", "--seconds", "1");

        assertThat(((EvalCommand) eval.subcommand().commandSpec().userObject()).file).isNull();
        assertThat(((BenchCommand) bench.subcommand().commandSpec().userObject()).data).isNull();
        assertThat(dev.engram.eval.LocomoLoader.class.getClassLoader().getResource(dev.engram.eval.LocomoLoader.DEV_SET))
                .isNotNull();
    }

    @Test
    void an_unknown_engine_bench_mix_is_a_usage_error() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("bench", "engine", "--mix", "teleport");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--mix").contains("teleport");
    }

    @Test
    void eval_of_a_missing_file_says_so() {
        int code = Main.commandLine().execute("eval", "no-such-file.json");

        assertThat(code).isEqualTo(2);
    }
}
