package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.config.EngramConfig;

/** The HTTP API is a surface: started after memory, stopped first, and a failed start leaves nothing open. */
class SurfaceLifecycleTest {
    @Test
    void the_http_surface_serves_until_the_instance_is_closed(@TempDir Path dir) throws Exception {
        TestServer server = TestServer.start(dir);
        int port = server.engram.port();

        assertThat(server.get("/health").status()).isEqualTo(200);
        server.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void a_surface_that_cannot_start_fails_the_start_and_the_data_opens_again(@TempDir Path dir) throws Exception {
        try (TestServer first = TestServer.start(dir.resolve("first"))) {
            EngramConfig taken = config(dir.resolve("second"), first.engram.port());

            assertThatThrownBy(() -> Engram.start(taken)).isInstanceOf(RuntimeException.class);
            assertThat(first.get("/health").status()).isEqualTo(200);
        }
        try (TestServer again = TestServer.start(dir.resolve("second"))) {
            assertThat(again.get("/health").status()).isEqualTo(200);
        }
    }

    private static EngramConfig config(Path dir, int port) {
        return EngramConfig.parse("""
                [server]
                port = %d
                [storage]
                data_dir = "%s"
                """.formatted(port, dir.resolve("data").toString().replace("\\", "/")), dir.resolve("config.toml"));
    }
}
