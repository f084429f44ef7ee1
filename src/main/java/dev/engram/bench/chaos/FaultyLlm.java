package dev.engram.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engram.bench.fakellm.FakeLlmServer;

/**
 * A fault-injecting front for {@link FakeLlmServer} on a loopback port, speaking HTTP/1.1 over raw
 * sockets so it can fail the way real endpoints and networks do. A call to one of the faulty models fails
 * with probability {@link #setFaults rate}, its failure drawn evenly from {@link Fault}; every other call
 * is passed to the fake LLM and its answer relayed. One connection per call ({@code Connection: close}).
 * Thread-safe; {@link #close()} ends stalls at once.
 */
final class FaultyLlm implements AutoCloseable {
    /** An injected failure. */
    enum Fault {
        /** 429 with {@code Retry-After: 1}. */
        RATE_LIMITED,
        /** 500 with an OpenAI error body. */
        SERVER_ERROR,
        /** 503 with an HTML body. */
        UNAVAILABLE,
        /** no answer until the client gives up (or the stall limit passes). */
        STALL,
        /** 200 with a body that is not JSON. */
        GARBAGE,
        /** 200 with valid JSON and no choices. */
        EMPTY_CHOICES,
        /** 200 whose body ends before its Content-Length. */
        TRUNCATED,
        /** the connection is reset (TCP RST) after the request was read. */
        RESET
    }

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");

    private final FakeLlmServer upstream;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ServerSocket socket;
    private final Duration maxStall;
    private final SplittableRandom random;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong eligible = new AtomicLong();
    private final Map<String, AtomicLong> byModel = new ConcurrentHashMap<>();
    private final AtomicLong replyCalls = new AtomicLong();
    private final AtomicLong faultsOnReplyCalls = new AtomicLong();
    private final String replyModel;
    private volatile double rate;
    private volatile Set<String> faultyModels = Set.of();
    private volatile boolean closed;

    FaultyLlm(FakeLlmServer upstream, String replyModel, long seed, Duration maxStall) throws IOException {
        this.upstream = upstream;
        this.replyModel = replyModel;
        this.maxStall = maxStall;
        this.random = new SplittableRandom(seed);
        for (Fault f : Fault.values()) injected.put(f, new AtomicLong());
        this.socket = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("faulty-llm-accept").start(this::accept);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
    }

    /** From now on calls to {@code models} fail with probability {@code rate}. */
    void setFaults(double rate, Set<String> models) {
        this.faultyModels = Set.copyOf(models);
        this.rate = rate;
    }

    long calls() {
        return calls.get();
    }

    /** @return calls received per model */
    Map<String, Long> callsByModel() {
        Map<String, Long> m = new java.util.TreeMap<>();
        byModel.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** @return calls that could have failed (to a faulty model while the rate was above 0) */
    long eligible() {
        return eligible.get();
    }

    long replyCalls() {
        return replyCalls.get();
    }

    long faultsOnReplyCalls() {
        return faultsOnReplyCalls.get();
    }

    /** @return injected failures by kind (lower-case names) */
    Map<String, Long> injected() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        injected.forEach((f, n) -> m.put(f.name().toLowerCase(Locale.ROOT), n.get()));
        return m;
    }

    long injectedTotal() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                open.add(s);
                Thread.ofVirtual().name("faulty-llm-call").start(() -> serve(s));
            } catch (IOException e) {
                if (!closed) continue;
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            if (head == null) return;
            int length = contentLength(head);
            byte[] body = in.readNBytes(Math.max(0, length));
            String path = head.split(" ", 3).length > 1 ? head.split(" ", 3)[1] : "/";
            Matcher m = MODEL.matcher(new String(body, StandardCharsets.UTF_8));
            String model = m.find() ? m.group(1) : "";
            calls.incrementAndGet();
            byModel.computeIfAbsent(model, k -> new AtomicLong()).incrementAndGet();
            boolean reply = model.equals(replyModel);
            if (reply) replyCalls.incrementAndGet();
            Fault fault = draw(model);
            if (fault == null) {
                relay(s.getOutputStream(), path, body);
                return;
            }
            injected.get(fault).incrementAndGet();
            if (reply) faultsOnReplyCalls.incrementAndGet();
            inject(s, fault);
        } catch (IOException | InterruptedException e) {
            // the client went away; nothing to answer
        } finally {
            open.remove(s);
        }
    }

    private Fault draw(String model) {
        if (!faultyModels.contains(model) || rate == 0) return null;
        eligible.incrementAndGet();
        synchronized (random) {
            if (random.nextDouble() >= rate) return null;
            return Fault.values()[random.nextInt(Fault.values().length)];
        }
    }

    private void relay(OutputStream out, String path, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        respond(out, r.statusCode(), "application/json", r.body(), r.body().length, "");
    }

    private void inject(Socket s, Fault fault) throws IOException, InterruptedException {
        OutputStream out = s.getOutputStream();
        switch (fault) {
            case RATE_LIMITED -> respond(out, 429, "application/json", error("rate limit reached", "rate_limit_exceeded"),
                    -1, "Retry-After: 1\r\n");
            case SERVER_ERROR -> respond(out, 500, "application/json", error("the server had an error", "server_error"),
                    -1, "");
            case UNAVAILABLE -> respond(out, 503, "text/html", "<html><body>503 Service Unavailable</body></html>"
                    .getBytes(StandardCharsets.UTF_8), -1, "");
            case STALL -> {
                s.setSoTimeout((int) Math.max(1, maxStall.toMillis()));
                try {
                    while (!closed && s.getInputStream().read() >= 0) {
                        // hold the call open: nothing more is expected from the client
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // the stall limit passed: close without an answer
                }
            }
            case GARBAGE -> respond(out, 200, "application/json", "<<<not json at all>>> {\"choices\": [{"
                    .getBytes(StandardCharsets.UTF_8), -1, "");
            case EMPTY_CHOICES -> respond(out, 200, "application/json",
                    "{\"id\": \"chatcmpl-chaos\", \"object\": \"chat.completion\", \"choices\": []}"
                            .getBytes(StandardCharsets.UTF_8), -1, "");
            case TRUNCATED -> respond(out, 200, "application/json",
                    "{\"id\": \"chatcmpl-chaos\", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assis"
                            .getBytes(StandardCharsets.UTF_8), 400, "");
            case RESET -> {
                s.setSoLinger(true, 0);
                s.close(); // SO_LINGER 0: the close sends RST
            }
        }
    }

    private static byte[] error(String message, String code) {
        return ("{\"error\": {\"message\": \"" + message + "\", \"type\": \"chaos\", \"code\": \"" + code + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a response; {@code declaredLength} -1 declares the body's own length. */
    private static void respond(OutputStream out, int status, String type, byte[] body, int declaredLength, String extra)
            throws IOException {
        String head = "HTTP/1.1 " + status + " Chaos\r\nContent-Type: " + type + "\r\nContent-Length: "
                + (declaredLength < 0 ? body.length : declaredLength) + "\r\nConnection: close\r\n" + extra + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** @return the request head up to the blank line, or null when the client closed first */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            int n = b.length();
            if (n >= 4 && b.charAt(n - 1) == '\n' && b.charAt(n - 2) == '\r' && b.charAt(n - 3) == '\n'
                    && b.charAt(n - 4) == '\r') {
                return b.toString();
            }
            if (n > 65_536) return null;
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        client.close();
    }
}
