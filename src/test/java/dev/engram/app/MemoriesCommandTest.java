package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

/**
 * {@code engram memories ...} against real servers on port 0: list, show, edit, pin, export to a file, import it
 * into a second instance, forget; errors are one line and exit code 2.
 */
class MemoriesCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void operators_browse_correct_pin_export_import_and_forget_from_the_command_line() throws Exception {
        Path file = dir.resolve("grp.jsonl");
        try (TestServer a = TestServer.start(dir.resolve("a"), "api_token = \"s3cret-token\"", "")) {
            String url = "http://127.0.0.1:" + a.engram.port();
            a.post("/api/message", "{\"chat_id\":\"grp\",\"user_id\":\"u1\",\"user_name\":\"小林\",\"message\":\"我最喜欢的电影是《千与千寻》\"}",
                    "Authorization", "Bearer s3cret-token");
            a.awaitIngestIdle();

            assertThat(cli("memories", "list", "--url", url, "--chat", "grp").err()).contains("HTTP 401");
            Run list = cli("memories", "list", "--url", url, "--token", "s3cret-token", "--chat", "grp");
            assertThat(list.code()).isZero();
            String line = list.out().lines().filter(l -> l.contains("千与千寻")).findFirst().orElseThrow();
            assertThat(line).contains("current").contains("小林");
            long id = Long.parseLong(line.substring(0, line.indexOf('\t')));

            JsonNode shown = TestServer.JSON.readTree(cli("memories", "show", "--url", url, "--token", "s3cret-token",
                    Long.toString(id)).out());
            assertThat(shown.path("provenance").get(0).path("text").asText()).contains("千与千寻");
            Run edit = cli("memories", "edit", "--url", url, "--token", "s3cret-token", Long.toString(id), "小林最喜欢的电影是《龙猫》");
            long newId = TestServer.JSON.readTree(edit.out()).path("memory").path("id").asLong();
            assertThat(cli("memories", "pin", "--url", url, "--token", "s3cret-token", Long.toString(newId)).out())
                    .contains("\"pinned\" : true");

            Run export = cli("memories", "export", "--url", url, "--token", "s3cret-token", "--chat", "grp", "--out", file.toString());
            assertThat(export.code()).as(export.err()).isZero();
            assertThat(Files.readAllLines(file).getFirst()).contains("engram-export");

            Run missing = cli("memories", "show", "--url", url, "--token", "s3cret-token", "999999");
            assertThat(missing.code()).isEqualTo(2);
            assertThat(missing.err().strip()).isEqualTo("engram memories show: HTTP 404: no memory 999999");
            assertThat(cli("memories", "forget", "--url", url, "--token", "s3cret-token").code()).isEqualTo(2);
        }
        try (TestServer b = TestServer.start(dir.resolve("b"))) {
            String url = "http://127.0.0.1:" + b.engram.port();
            Run imported = cli("memories", "import", "--url", url, file.toString());
            assertThat(imported.code()).as(imported.err()).isZero();
            assertThat(TestServer.JSON.readTree(imported.out()).path("memories").asLong()).isEqualTo(2);
            Run list = cli("memories", "list", "--url", url, "--chat", "grp", "--state", "current");
            assertThat(list.out()).contains("龙猫").contains("pinned").doesNotContain("千与千寻");

            Run forget = cli("memories", "forget", "--url", url, "--chat", "grp", "--speaker", "u1");
            assertThat(forget.code()).isZero();
            assertThat(TestServer.JSON.readTree(forget.out()).path("messages").asLong()).isPositive();
            assertThat(cli("memories", "list", "--url", url, "--chat", "grp").out()).doesNotContain("龙猫");

            Path bad = dir.resolve("bad.jsonl");
            Files.writeString(bad, "{\"type\":\"header\",\"format\":\"engram-export\",\"version\":1}\nnot json\n");
            Run rejected = cli("memories", "import", "--url", url, bad.toString());
            assertThat(rejected.code()).isEqualTo(2);
            assertThat(rejected.err()).startsWith("engram memories import: HTTP 400: line 2: not JSON").hasLineCount(1);
            assertThat(cli("memories", "import", "--url", url, dir.resolve("none.jsonl").toString()).err())
                    .contains("no such file");
        }
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Run down = cli("memories", "list", "--url", "http://127.0.0.1:" + free, "--chat", "grp");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err()).contains("cannot reach Engram").hasLineCount(1);
    }
}
