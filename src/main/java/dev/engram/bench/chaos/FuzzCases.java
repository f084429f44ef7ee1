package dev.engram.bench.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fuzz generator: a deterministic stream of {@link FuzzCase}s for a seed, over every route and
 * beyond. Per 1,000 cases: 250 hostile {@code /api/message} bodies, 150 {@code /api/memory} bodies,
 * 180 {@code /api/memory/search} queries, 90 task and graph look-ups, 140 unknown routes and wrong methods,
 * 60 odd headers, 100 raw malformed HTTP, 3 incomplete requests left hanging, 27 well-formed
 * requests (replies, searches, status, health, metrics, a rare build) so the real paths run under the noise.
 */
final class FuzzCases {
    private static final List<String> METHODS = List.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "FOO",
            "get", "PROPFIND", "POST", "GET");
    private static final List<String> ROUTES = List.of("/api/message", "/api/memory", "/api/memory/build",
            "/api/memory/search", "/api/tasks/x", "/api/graph", "/api/status", "/health", "/metrics");
    private static final List<String> ODD_QUERY = List.of("", "%20%20", "%00", "%ED%A0%80", "%ED%A0%80a", "%FF%FE",
            "%C0%AF", "%E4%B8", "%E2%80%8B", "%EF%BB%BF", "%E2%80%AE", "abc%0D%0Ax", "%F0%9F%98%80", "a+b", "%2F..%2F",
            "-1", "0", "1e3", "99999999999999999999", "NaN", "5.5", "%205%20", "0x10", "2147483648", "-2147483649");

    private final SplittableRandom r;

    FuzzCases(long seed) {
        this.r = new SplittableRandom(seed);
    }

    FuzzCase next() {
        int roll = r.nextInt(1000);
        if (roll < 250) return post("message_json", "/api/message", FuzzJson.body(r, "message", false));
        if (roll < 400) return post("memory_json", "/api/memory", FuzzJson.body(r, "content", true));
        if (roll < 580) return search();
        if (roll < 670) return tasksOrGraph();
        if (roll < 810) return route();
        if (roll < 870) return headers();
        if (roll < 970) return FuzzRaw.immediate(r);
        if (roll < 973) return FuzzRaw.waiting(r);
        return valid();
    }

    private FuzzCase.Http post(String family, String path, byte[] body) {
        return new FuzzCase.Http(family, "POST", path, List.of(), body);
    }

    private FuzzCase.Http get(String family, String target) {
        return new FuzzCase.Http(family, "GET", target, List.of(), null);
    }

    private String odd() {
        return FuzzJson.pick(r, ODD_QUERY);
    }

    private FuzzCase search() {
        List<String> params = new ArrayList<>();
        if (r.nextInt(5) > 0) params.add("chat_id=" + (r.nextBoolean() ? odd() : "fuzz-" + r.nextInt(20)));
        if (r.nextInt(5) > 0) params.add("q=" + (r.nextInt(20) == 0 ? "x".repeat(9_000) : r.nextBoolean() ? odd() : "hi"));
        if (r.nextBoolean()) params.add("k=" + odd());
        if (r.nextBoolean()) params.add("timeout_ms=" + odd());
        if (r.nextInt(8) == 0) params.add("chat_id=dup");
        return get("search_params", "/api/memory/search?" + String.join("&", params));
    }

    private FuzzCase tasksOrGraph() {
        if (r.nextBoolean()) {
            String id = switch (r.nextInt(6)) {
                case 0 -> "store-" + new java.util.UUID(r.nextLong(), r.nextLong());
                case 1 -> "store-not-a-uuid";
                case 2 -> "x".repeat(1 + r.nextInt(6_000));
                case 3 -> "%2E%2E%2F%2E%2E";
                case 4 -> "build-" + odd();
                default -> odd().isEmpty() ? "%20" : odd();
            };
            return get("tasks", "/api/tasks/" + id);
        }
        return get("graph", "/api/graph?chat_id=" + odd() + (r.nextBoolean() ? "&q=" + odd() : ""));
    }

    private FuzzCase route() {
        if (r.nextBoolean()) {
            String method = FuzzJson.pick(r, METHODS);
            String path = FuzzJson.pick(r, ROUTES);
            byte[] body = method.equals("GET") || method.equals("HEAD") ? null : FuzzJson.utf8("{\"message\": \"x\"}");
            return new FuzzCase.Http("wrong_method", method, path, List.of(), body);
        }
        String path = switch (r.nextInt(9)) {
            case 0 -> "/api/messages";
            case 1 -> "/api/message/" + odd();
            case 2 -> "/API/MESSAGE";
            case 3 -> "//api//status";
            case 4 -> "/%2e%2e/%2e%2e/etc/passwd";
            case 5 -> "/" + "p".repeat(10_000 + r.nextInt(5_000));
            case 6 -> "/api/" + odd();
            case 7 -> "/favicon.ico";
            default -> "/" + Long.toHexString(r.nextLong());
        };
        return new FuzzCase.Http("unknown_route", r.nextBoolean() ? "GET" : "POST", path, List.of(),
                r.nextBoolean() ? FuzzJson.utf8("{}") : null);
    }

    private FuzzCase headers() {
        List<String> h = new ArrayList<>();
        switch (r.nextInt(7)) {
            case 0 -> h.addAll(List.of("Content-Type", FuzzJson.pick(r, List.of("text/plain", "application/xml",
                    "multipart/form-data; boundary=zz", "application/json; charset=latin1", "application/json; charset=utf-16", "*/*;;"))));
            case 1 -> h.addAll(List.of("Content-Encoding", "gzip"));
            case 2 -> h.addAll(List.of("X-Big", "v".repeat(9_000 + r.nextInt(10_000))));
            case 3 -> {
                for (int i = 0; i < 300; i++) h.addAll(List.of("X-Many-" + i, "v"));
            }
            case 4 -> h.addAll(List.of("Authorization", "Bearer " + "z".repeat(r.nextInt(200))));
            case 5 -> h.addAll(List.of("Accept", "application/x-nothing", "Accept-Charset", "ebcdic"));
            default -> h.addAll(List.of("Content-Type", "application/json", "X-Forwarded-For", "not-an-ip, ::::"));
        }
        String route = r.nextBoolean() ? "/api/message" : "/api/memory";
        return new FuzzCase.Http("headers", "POST", route, h, FuzzJson.body(r, route.endsWith("message") ? "message" : "content",
                true));
    }

    private FuzzCase valid() {
        int chat = r.nextInt(20);
        return switch (r.nextInt(10)) {
            case 0 -> post("valid", "/api/message", ("{\"chat_id\": \"fuzz-" + chat + "\", \"message\": \"我今天在 fuzz 测试里看到了 "
                    + r.nextInt(1_000) + " 只猫\"}").getBytes(StandardCharsets.UTF_8));
            case 1, 2, 3, 4 -> get("valid", "/api/memory/search?chat_id=fuzz-" + chat + "&q=%E7%8C%AB&k=" + (1 + r.nextInt(20)));
            case 5 -> get("valid", "/api/status");
            case 6 -> get("valid", r.nextInt(20) == 0 ? "/metrics" : "/health");
            case 7 -> r.nextInt(50) == 0 ? post("valid", "/api/memory/build", new byte[0]) : get("valid", "/health");
            default -> post("valid", "/api/memory", ("{\"chat_id\": \"fuzz-" + chat + "\", \"content\": \"记住：fuzz 第 "
                    + r.nextInt(1_000) + " 号\"}").getBytes(StandardCharsets.UTF_8));
        };
    }
}
