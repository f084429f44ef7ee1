package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends {@link FuzzCases} to one server and counts what comes back: statuses, 5xx, hangs (no answer and no
 * close within {@link #HANG}), and requests the client could not complete. java.net.http sends what it can;
 * malformed HTTP goes over raw sockets (closed with RST, so 100,000 connections leave no TIME_WAIT behind).
 * Incomplete requests get their own, wider concurrency limit: each may take the server's idle timeout.
 */
final class Fuzzer {
    static final Duration HANG = Duration.ofSeconds(5);
    /** Status recorded when the server closed the connection without an answer. */
    static final int CLOSED = 0;

    /**
     * @param requests  cases sent
     * @param statuses  status → count (0 = closed without an answer)
     * @param fiveXx    5xx answers, except {@code versionNotSupported}
     * @param versionNotSupported 505 answers to a raw request line with an HTTP version the server does not speak
     *                  ({@code HTTP/9.9}, HTTP/0.9's {@code GET /}): the protocol's own answer to that client error
     * @param hangs     no answer nor close within 5 s
     * @param ioErrors  requests the client could not complete (e.g. the server closed while a large body was sent)
     * @param slowestMs longest time to an answer or close
     * @param examples  the first few 5xx and hangs: family and what was sent
     * @param seconds   wall time
     */
    record Result(long requests, Map<Integer, Long> statuses, long fiveXx, long versionNotSupported, long hangs, long ioErrors, long slowestMs,
                  List<String> examples, double seconds) {
    }

    private final ChaosHttp http;
    private final URI base;
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong fiveXx = new AtomicLong();
    private final AtomicLong version505 = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final AtomicLong ioErrors = new AtomicLong();
    private final AtomicLong slowest = new AtomicLong();
    private final List<String> examples = new ArrayList<>();

    Fuzzer(ChaosHttp http, URI base) {
        this.http = http;
        this.base = base;
    }

    /**
     * @param requests    cases to send
     * @param concurrency requests in flight at once (incomplete requests: eight times as many)
     * @param deadline    System.nanoTime() after which no new case is sent
     */
    Result run(long seed, long requests, int concurrency, long deadline) throws InterruptedException {
        FuzzCases cases = new FuzzCases(seed);
        Semaphore fast = new Semaphore(concurrency);
        Semaphore slow = new Semaphore(concurrency * 8);
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < requests && System.nanoTime() < deadline; i++) {
                FuzzCase c = cases.next();
                Semaphore permits = c instanceof FuzzCase.Raw raw && raw.waits() ? slow : fast;
                permits.acquire();
                sent.incrementAndGet();
                pool.execute(() -> {
                    try {
                        send(c);
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.get()));
        synchronized (examples) {
            return new Result(sent.get(), counts, fiveXx.get(), version505.get(), hangs.get(), ioErrors.get(), slowest.get(),
                    List.copyOf(examples), (System.nanoTime() - start) / 1e9);
        }
    }

    private void send(FuzzCase c) {
        long t0 = System.nanoTime();
        try {
            int status = switch (c) {
                case FuzzCase.Http h -> sendHttp(h);
                case FuzzCase.Raw raw -> sendRaw(raw);
            };
            record(c, status, t0);
        } catch (HttpTimeoutException | SocketTimeoutException e) {
            hangs.incrementAndGet();
            example("hang", c);
        } catch (IOException | IllegalArgumentException e) {
            ioErrors.incrementAndGet(); // includes requests java.net.http refuses to send
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(FuzzCase c, int status, long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        slowest.accumulateAndGet(ms, Math::max);
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        if (ms > HANG.toMillis()) {
            hangs.incrementAndGet();
            example("answered after " + ms + " ms", c);
        }
        if (status == 505 && c instanceof FuzzCase.Raw) {
            version505.incrementAndGet();
        } else if (status >= 500) {
            fiveXx.incrementAndGet();
            example("status " + status, c);
        }
    }

    private void example(String what, FuzzCase c) {
        synchronized (examples) {
            if (examples.size() < 10) examples.add(what + ": " + describe(c));
        }
    }

    static String describe(FuzzCase c) {
        return switch (c) {
            case FuzzCase.Http h -> h.family() + " " + h.method() + " " + cut(h.target()) + " headers " + h.headers().size()
                    + (h.body() == null ? "" : " body " + cut(new String(h.body(), StandardCharsets.UTF_8)));
            case FuzzCase.Raw r -> r.family() + " " + cut(new String(r.bytes(), StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n"));
        };
    }

    private static String cut(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
    }

    private int sendHttp(FuzzCase.Http h) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + h.target())).timeout(HANG)
                .method(h.method(), h.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(h.body()));
        for (int i = 0; i + 1 < h.headers().size(); i += 2) b.header(h.headers().get(i), h.headers().get(i + 1));
        HttpRequest request;
        try {
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw new IOException("java.net.http refused the request: " + e.getMessage(), e);
        }
        return http.client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Writes the bytes and reads the status line; {@link #CLOSED} when the server closed without one. */
    private int sendRaw(FuzzCase.Raw raw) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoLinger(true, 0);
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) HANG.toMillis());
            s.setSoTimeout((int) HANG.toMillis());
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw.bytes());
                out.flush();
                if (raw.halfClose()) s.shutdownOutput();
            } catch (IOException e) {
                // the server may refuse and close before it read everything: its answer still counts
            }
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            try {
                for (int ch = in.read(); ch >= 0 && ch != '\n' && line.length() < 200; ch = in.read()) line.append((char) ch);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                if (line.isEmpty()) return CLOSED; // reset by the server without an answer
            }
            String[] parts = line.toString().split(" ");
            if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
                try {
                    return Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    return CLOSED;
                }
            }
            return CLOSED;
        }
    }
}
