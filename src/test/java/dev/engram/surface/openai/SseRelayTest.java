package dev.engram.surface.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The relay copies a stream byte for byte and assembles the reply, whatever the read boundaries. */
class SseRelayTest {
    private static final String STREAM = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"你"},"finish_reason":null}]}

            : a comment line
            data: {"choices":[{"index":0,"delta":{"content":"好呀"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]

            """.replace("\n", "\r\n");

    /** Hands out at most {@code step} bytes per read, cutting events (and UTF-8 sequences) apart. */
    private static InputStream dribble(byte[] bytes, int step) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    @Test
    void passes_bytes_through_unchanged_and_assembles_the_content_across_any_cut() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int step : new int[] {1, 2, 7, 8192}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SseRelay relay = new SseRelay();
            relay.relay(dribble(bytes, step), out);
            assertThat(out.toByteArray()).as("step %d", step).isEqualTo(bytes);
            assertThat(relay.reply()).as("step %d", step).isEqualTo("你好呀");
        }
    }

    @Test
    void a_stream_that_breaks_off_or_carries_an_error_has_no_reply_to_remember() throws Exception {
        String cut = STREAM.substring(0, STREAM.indexOf("data: {\"choices\":[{\"index\":0,\"delta\":{},"));
        SseRelay broken = new SseRelay();
        broken.relay(new ByteArrayInputStream(cut.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream());
        assertThat(broken.reply()).isNull();

        SseRelay error = new SseRelay();
        error.relay(new ByteArrayInputStream("data: {\"error\":{\"message\":\"overloaded\"}}\n\ndata: [DONE]\n\n"
                .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream());
        assertThat(error.reply()).isNull();
    }
}
