package dev.engram.bench.chaos;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Malformed HTTP/1.1 written byte for byte: broken chunked encoding, bad or conflicting lengths, broken
 * request lines and headers, bad versions and escapes, pipelining; and ({@link #waiting}) requests left
 * incomplete — a body shorter than its Content-Length, chunked without its last chunk, headers without
 * their end, empty request lines, nothing at all — that only the server's idle timeout can end.
 */
final class FuzzRaw {
    private static final String JSON = "{\"message\": \"hi\"}";

    private FuzzRaw() {
    }

    /** @return a malformed request the server can refuse at once */
    static FuzzCase.Raw immediate(SplittableRandom r) {
        String post = "POST /api/message HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        String s = switch (r.nextInt(24)) {
            case 0 -> post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
            case 1 -> post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n0\r\n\r\n";
            case 2 -> post + "Transfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n";
            case 3 -> post + "Transfer-Encoding: chunked\r\n\r\n3;;;=\"\r\nabc\r\n0\r\n\r\n";
            case 4 -> post + "Transfer-Encoding: gzip, chunked, identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
            case 5 -> post + "Content-Length: abc\r\n\r\n" + JSON;
            case 6 -> post + "Content-Length: -5\r\n\r\n" + JSON;
            case 7 -> post + "Content-Length: 5\r\nContent-Length: 17\r\n\r\n" + JSON;
            case 8 -> post + "Content-Length: 17\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n" + JSON + "\r\n0\r\n\r\n";
            case 9 -> post + "Content-Length: 99999999999999999999999\r\n\r\n" + JSON;
            case 10 -> "GET /\r\n\r\n";
            case 11 -> "GET /health HTTP/9.9\r\nHost: x\r\n\r\n";
            case 12 -> "GET /health HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n";
            case 13 -> "GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n";
            case 14 -> "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n";
            case 15 -> "GET /health HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n  folded\r\n\r\n";
            case 16 -> "GET /api/" + "a".repeat(20_000 + r.nextInt(10_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 17 -> "GET /api/memory/search?chat_id=%ZZ&q=%E4%B8 HTTP/1.1\r\nHost: x\r\n\r\n";
            case 18 -> "G@T /health HTTP/1.1\r\nHost: x\r\n\r\n";
            case 19 -> "CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n";
            case 20 -> "GET /health HTTP/1.1\r\n\r\n"; // HTTP/1.1 without Host
            case 21 -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
            case 22 -> "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/status HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n";
            default -> "GET http://elsewhere.invalid/api/status HTTP/1.1\r\nHost: elsewhere.invalid\r\n\r\n";
        };
        if (r.nextInt(10) == 0) return garbage(r);
        return new FuzzCase.Raw("raw_malformed", s.getBytes(StandardCharsets.ISO_8859_1), false, false);
    }

    private static FuzzCase.Raw garbage(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(300);
        for (int i = 0; i < n; i++) out.write(r.nextInt(256));
        out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return new FuzzCase.Raw("raw_garbage", out.toByteArray(), false, r.nextBoolean());
    }

    /** @return an incomplete request: only the server's idle timeout (or a 4xx) may end it */
    static FuzzCase.Raw waiting(SplittableRandom r) {
        String s = switch (r.nextInt(6)) {
            case 0 -> "POST /api/message HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"message\":";
            case 1 -> "POST /api/memory HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"con\r\n";
            case 2 -> "GET /health HTTP/1.1\r\nHost: x\r\n";
            case 3 -> "\r\n\r\n";
            case 4 -> "";
            default -> "POST /api/message HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\nExpect: 100-continue\r\n\r\n";
        };
        return new FuzzCase.Raw("raw_incomplete", s.getBytes(StandardCharsets.ISO_8859_1), true, false);
    }
}
