package dev.engram.surface.http;

/**
 * A request the API refuses, with the HTTP status and the body {@code {"error": code, "detail": detail}}.
 * Created on hot paths for bad input, so it carries no stack trace.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
