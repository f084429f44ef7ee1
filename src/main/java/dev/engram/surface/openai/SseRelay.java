package dev.engram.surface.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Passes a server-sent-event stream of chat-completion chunks through unchanged: every read from the
 * upstream is written and flushed to the client at once (never waiting for a whole event or the whole
 * stream), while a copy is parsed line by line to assemble the assistant's text from the
 * {@code choices[0].delta.content} pieces. One instance per stream; not thread-safe.
 */
final class SseRelay {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder text = new StringBuilder();
    private boolean done;
    private boolean failed;

    /**
     * Copies {@code in} to {@code out} until the upstream ends the stream.
     *
     * @throws IOException when reading the upstream or writing the client fails
     */
    void relay(InputStream in, OutputStream out) throws IOException {
        relay(in, out, () -> { });
    }

    /** As {@link #relay(InputStream, OutputStream)}, calling {@code onRead} after every read from the upstream. */
    void relay(InputStream in, OutputStream out, Runnable onRead) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            onRead.run();
            out.write(buffer, 0, n);
            out.flush();
            feed(buffer, n);
        }
        if (line.size() > 0) endLine();
    }

    /** The assembled reply, or null when the stream did not finish ({@code [DONE]} or a finish reason) or carried an error. */
    String reply() {
        return done && !failed ? text.toString() : null;
    }

    private void feed(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            byte b = buffer[i];
            if (b == '\n') endLine();
            else if (b != '\r') line.write(b);
        }
    }

    private void endLine() {
        String l = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (!l.startsWith("data:")) return;
        String data = l.substring(5).strip();
        if (data.equals("[DONE]")) {
            done = true;
            return;
        }
        JsonNode event;
        try {
            event = ProxyJson.MAPPER.readTree(data);
        } catch (IOException e) {
            return; // not ours to judge: the client got it as sent
        }
        if (event == null) return;
        if (event.has("error")) failed = true;
        JsonNode choice = event.path("choices").path(0);
        JsonNode content = choice.path("delta").path("content");
        if (content.isTextual()) text.append(content.asText());
        if (choice.path("finish_reason").isTextual()) done = true;
    }
}
