package dev.engram.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One timed chat-completion call of the proxy benchmark, to the upstream directly or through Engram, with a
 * plain java.net.http client (HTTP/1.1, kept-alive connections). A plain call is timed to the last byte of
 * its body; a streamed one to its first {@code data:} line and to its end. Thread-safe.
 */
final class ProxyBenchCalls {
    /** @param firstMs time to the first event (streams) or to the whole body (plain calls); totalMs to the end */
    record Timing(double firstMs, double totalMs) {
    }

    private final HttpClient http;

    ProxyBenchCalls(HttpClient http) {
        this.http = http;
    }

    /**
     * @param endpoint  {@code …/v1/chat/completions}
     * @param messageId sent as {@code X-Engram-Message-Id} (ignored by the upstream)
     */
    Timing call(URI endpoint, byte[] body, String messageId, boolean stream) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Engram-Message-Id", messageId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException(endpoint + " answered HTTP " + r.statusCode() + ": "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (!stream) {
                in.readAllBytes();
                double ms = ms(start);
                return new Timing(ms, ms);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            double first = -1;
            boolean done = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data:")) continue;
                if (first < 0) first = ms(start);
                if (line.substring(5).strip().equals("[DONE]")) done = true;
            }
            if (first < 0 || !done) throw new IOException(endpoint + ": the stream ended without [DONE]");
            return new Timing(first, ms(start));
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
