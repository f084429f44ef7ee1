package dev.engram.surface.openai;

/**
 * A proxied call that ends with an error of the proxy's own (not the upstream's passed-through answer), sent
 * as OpenAI's error body {@code {"error": {"message", "type", "code"}}}. Created on hot paths for bad input,
 * so it carries no stack trace.
 */
final class ProxyException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;

    ProxyException(int status, String type, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    static ProxyException badRequest(String code, String message) {
        return new ProxyException(400, "invalid_request_error", code, message);
    }

    static ProxyException upstream(int status, String code, String message) {
        return new ProxyException(status, "upstream_error", code, message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String code() {
        return code;
    }

    /** The outcome word recorded in the surface metrics. */
    String outcome() {
        return status >= 500 ? "upstream_error" : "bad_request";
    }
}
