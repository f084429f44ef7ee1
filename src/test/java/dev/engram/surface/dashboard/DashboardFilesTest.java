package dev.engram.surface.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.TestServer;

/** The dashboard's files over real HTTP on an Engram with an API token: public page, protected data, nothing external. */
class DashboardFilesTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, "api_token = \"correct-horse\"", "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_page_is_served_at_the_root_with_a_policy_that_allows_nothing_from_elsewhere() throws Exception {
        TestServer.Response page = server.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\">");
        assertThat(server.get("/dashboard/app.js").contentType()).startsWith("text/javascript");
        assertThat(server.get("/dashboard/style.css").contentType()).startsWith("text/css");
        var csp = server.client.send(java.net.http.HttpRequest.newBuilder(server.uri("/")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).headers().firstValue("Content-Security-Policy");
        assertThat(csp).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("connect-src 'self'"));
    }

    @Test
    void every_file_the_page_loads_is_in_the_jar_and_none_comes_from_another_host() throws Exception {
        for (String name : Dashboard.FILES) {
            TestServer.Response r = server.get("/dashboard/" + name);
            assertThat(r.status()).as(name).isEqualTo(200);
            String body = r.body().replace("http://www.w3.org/2000/svg", ""); // the SVG namespace, not an address
            assertThat(body).as(name).doesNotContain("http://", "https://", "//cdn");
            // every module a module imports is one of the served files
            Matcher imports = Pattern.compile("from '\\./([a-z]+\\.js)'").matcher(body);
            while (imports.find()) assertThat(Dashboard.FILES).as(name + " imports").contains(imports.group(1));
        }
    }

    @Test
    void an_unknown_file_is_a_json_404() throws Exception {
        TestServer.Response r = server.get("/dashboard/secret.txt");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").asText()).isEqualTo("not_found");
    }

    @Test
    void the_page_is_public_but_its_data_needs_the_token() throws Exception {
        assertThat(server.get("/").status()).isEqualTo(200);
        assertThat(server.get("/api/status").status()).isEqualTo(401);
        assertThat(server.get("/api/status", "Authorization", "Bearer correct-horse").status()).isEqualTo(200);
    }
}
