package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code engram chaos --soak} refuses bad values with one line and exit code 2, before starting anything. */
class ChaosSoakOptionsTest {
    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void bad_minutes_and_sample_seconds_are_one_line_errors_with_exit_code_2() {
        for (String[] args : new String[][] {{"chaos", "--soak", "abc"}, {"chaos", "--soak", "0"},
            {"chaos", "--soak", "-5"}, {"chaos", "--soak", "NaN"}, {"chaos", "--soak", "1e9"},
            {"chaos", "--soak", "1", "--soak-sample-seconds", "x"}, {"chaos", "--soak", "0.5", "--soak-sample-seconds", "10"},
            {"chaos", "--soak", "1", "--soak-rate", "0"}, {"chaos", "--soak", "1", "--soak-distinct", "-1"},
            {"chaos", "--soak", "1", "--soak-distinct", "many"}}) {
            String[] r = run(args);
            assertThat(r[0]).as(String.join(" ", args)).isEqualTo("2");
            assertThat(r[1].strip()).as(String.join(" ", args)).startsWith("engram chaos: ").doesNotContain("\n");
        }
        assertThat(run("chaos", "--soak", "abc")[1]).contains("--soak must be a number");
    }
}
