package dev.engram.bench.chaos;

import java.util.List;
import java.util.Objects;

/** One fuzz request: sent with java.net.http ({@link Http}) or written byte for byte to a socket ({@link Raw}). */
sealed interface FuzzCase permits FuzzCase.Http, FuzzCase.Raw {
    /** @return the family the case belongs to, for the report */
    String family();

    /**
     * A request java.net.http can send.
     *
     * @param target  path and query, already percent-encoded
     * @param headers name, value, name, value…
     * @param body    the body, or null for none
     */
    record Http(String family, String method, String target, List<String> headers, byte[] body) implements FuzzCase {
        public Http {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(target, "target");
            headers = List.copyOf(headers);
        }
    }

    /**
     * Bytes written to a fresh connection.
     *
     * @param bytes    what is written
     * @param waits    whether the request is incomplete, so only the server's idle timeout can end it
     * @param halfClose whether the client shuts its output down after writing (the server sees end of input)
     */
    record Raw(String family, byte[] bytes, boolean waits, boolean halfClose) implements FuzzCase {
        public Raw {
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
